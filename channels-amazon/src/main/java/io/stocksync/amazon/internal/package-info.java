/**
 * Implementation details of the Amazon connector: the Retrofit description of the Selling Partner
 * API operations it calls. Not an API; may change in any release.
 */
@NullMarked
package io.stocksync.amazon.internal;

import org.jspecify.annotations.NullMarked;
