/**
 * Pieces the testkit's emulators share (JSON trees, loopback socket tuning). Public only so that
 * every emulator package and the benchmarks can use them; not a supported API, and it may change
 * without notice.
 */
@NullMarked
package io.stocksync.testkit.internal;

import org.jspecify.annotations.NullMarked;
