/**
 * Checks what connectors and emulators say to each other against the vendors' own API documents:
 * {@link io.stocksync.testkit.openapi.OpenApiExchangeValidator} records HTTP exchanges and
 * validates each request and response against OpenAPI 3 or Swagger 2.0 specifications.
 */
@NullMarked
package io.stocksync.testkit.openapi;

import org.jspecify.annotations.NullMarked;
