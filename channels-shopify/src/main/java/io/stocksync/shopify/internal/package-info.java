/** Implementation details of the Shopify connector. Not API. */
@NullMarked
package io.stocksync.shopify.internal;

import org.jspecify.annotations.NullMarked;
