package io.stocksync.oauth;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory store that records saves and can be told to fail the next saves. */
final class RecordingCredentialsStore implements CredentialsStore {
  private final InMemoryCredentialsStore delegate = new InMemoryCredentialsStore();
  final List<OAuthTokens> saved = new CopyOnWriteArrayList<>();
  final AtomicInteger failNextSaves = new AtomicInteger();
  final AtomicInteger failedSaves = new AtomicInteger();
  volatile String failureMessage = "vault unavailable";

  @Override
  public Optional<OAuthTokens> load(String key) {
    return delegate.load(key);
  }

  @Override
  public void save(String key, OAuthTokens tokens) {
    if (failNextSaves.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failedSaves.incrementAndGet();
      throw new IllegalStateException(failureMessage);
    }
    delegate.save(key, tokens);
    saved.add(tokens);
  }
}
