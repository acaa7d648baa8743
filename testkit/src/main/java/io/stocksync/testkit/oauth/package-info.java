/**
 * A reusable OAuth 2.0 token endpoint for the marketplace emulators: refresh-token grants with
 * expiry, rotation, revocation and faults, and access-token checks for the emulators' resource
 * endpoints.
 */
@NullMarked
package io.stocksync.testkit.oauth;

import org.jspecify.annotations.NullMarked;
