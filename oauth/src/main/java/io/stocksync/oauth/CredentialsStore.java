package io.stocksync.oauth;

import java.util.Optional;

/**
 * Where the host keeps each store's newest {@link OAuthTokens}. Implement it over your secret
 * vault (HashiCorp Vault, AWS Secrets Manager, an encrypted database column); {@link
 * InMemoryCredentialsStore} is the default for tests and single-process demos.
 *
 * <p>Some channels (Etsy) rotate the refresh token on every refresh: the old one stops working
 * the moment the new one is issued. {@link OAuthTokenSource} therefore calls {@link #save} with
 * the new pair <em>before</em> it uses the new access token, and keeps the pair in memory and
 * retries when {@code save} fails. An implementation must make the pair durable before {@code
 * save} returns (write-through, not write-behind), or a crash right after can lose the only
 * working refresh token and the seller must reconnect.
 *
 * <p>Keep one {@link OAuthTokenSource} per key at a time across all your processes: two sources
 * refreshing the same rotating refresh token kill each other's tokens (the second refresh
 * presents a token the first one already rotated away, and the channel answers {@code
 * invalid_grant}).
 *
 * <p>Implementations must be thread-safe. They must never log the tokens they handle.
 */
public interface CredentialsStore {

  /**
   * Loads the newest tokens saved under a key.
   *
   * @param key the credentials key, typically the store id
   * @return the tokens, or empty when none were saved
   * @throws RuntimeException when the store cannot be read; the token source reports it as a
   *     retryable failure
   */
  Optional<OAuthTokens> load(String key);

  /**
   * Saves tokens under a key, replacing what was there, durably before returning.
   *
   * @param key the credentials key, typically the store id
   * @param tokens the newest tokens
   * @throws RuntimeException when the tokens could not be made durable; the token source logs
   *     it, keeps the tokens in memory and tries again
   */
  void save(String key, OAuthTokens tokens);
}
