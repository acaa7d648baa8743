/** Implementation details of the Etsy connector. Not API. */
@NullMarked
package io.stocksync.etsy.internal;

import org.jspecify.annotations.NullMarked;
