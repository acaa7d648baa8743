/**
 * Implementation details of the eBay connector: the Retrofit service for eBay's REST APIs and
 * typed access to parsed JSON. Not an API; may change in any release.
 */
@NullMarked
package io.stocksync.ebay.internal;

import org.jspecify.annotations.NullMarked;
