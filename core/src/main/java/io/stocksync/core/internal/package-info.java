/**
 * Implementation details. Not API: anything here may change in any release without notice.
 */
@NullMarked
package io.stocksync.core.internal;

import org.jspecify.annotations.NullMarked;
