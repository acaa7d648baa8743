package io.stocksync.oauth;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CredentialsStore} in a map: thread-safe, durable only as long as the process lives.
 * Fine for tests and demos; a production host keeps its tokens in its secret vault instead.
 */
public final class InMemoryCredentialsStore implements CredentialsStore {
  private final Map<String, OAuthTokens> tokens = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryCredentialsStore() {}

  @Override
  public Optional<OAuthTokens> load(String key) {
    return Optional.ofNullable(tokens.get(Objects.requireNonNull(key, "key")));
  }

  @Override
  public void save(String key, OAuthTokens tokens) {
    this.tokens.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(tokens, "tokens"));
  }

  @Override
  public String toString() {
    return "InMemoryCredentialsStore{keys=" + tokens.keySet() + "}";
  }
}
