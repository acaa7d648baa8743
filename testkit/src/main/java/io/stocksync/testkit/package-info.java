/**
 * Test support for stocksync and its users: a controllable clock and scheduler, the in-process
 * reference channel, marketplace emulators (sub-packages per channel) and contract suites.
 */
@NullMarked
package io.stocksync.testkit;

import org.jspecify.annotations.NullMarked;
