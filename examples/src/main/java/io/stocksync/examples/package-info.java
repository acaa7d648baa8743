/**
 * Runnable examples: {@link io.stocksync.examples.Demo} (multi-channel sync end to end), {@link
 * io.stocksync.examples.Quickstart} (the smallest embedding) and {@link
 * io.stocksync.examples.CustomChannelExample} (writing your own channel connector).
 */
@NullMarked
package io.stocksync.examples;

import org.jspecify.annotations.NullMarked;
