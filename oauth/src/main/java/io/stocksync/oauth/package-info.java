/**
 * OAuth 2.0 refresh-token credentials for the channels whose access tokens expire (Etsy, eBay,
 * Amazon).
 *
 * <p>{@link io.stocksync.oauth.OAuthTokenSource} hands out a valid access token, refreshing it
 * ahead of expiry with one request at a time however many calls wait; it saves every new token
 * pair to the host's {@link io.stocksync.oauth.CredentialsStore} before the new access token is
 * used (Etsy rotates its refresh token on every refresh), and gives connectors an OkHttp
 * interceptor that sets the token header and refreshes once when the channel says the token
 * expired. {@link io.stocksync.oauth.OAuthTokens} and every type here keep secrets out of {@code
 * toString()}, exceptions and logs.
 */
@NullMarked
package io.stocksync.oauth;

import org.jspecify.annotations.NullMarked;
