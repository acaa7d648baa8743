package io.stocksync.core.channel;

import io.stocksync.core.InvalidInputException;
import io.stocksync.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * String settings for a {@link ChannelConnectorFactory}. Values added with {@link
 * Builder#secret(String, String)} are masked in {@link #toString()}.
 */
public final class ConnectorConfig {
  private final Map<String, String> values;
  private final Set<String> secretKeys;

  private ConnectorConfig(Builder b) {
    this.values = Map.copyOf(b.values);
    this.secretKeys = Set.copyOf(b.secretKeys);
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a required setting.
   *
   * @param key the setting's name
   * @return its value
   * @throws InvalidInputException naming the key if it is absent
   */
  public String require(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new InvalidInputException(key, "required connector setting is missing");
    }
    return v;
  }

  /**
   * Returns an optional setting.
   *
   * @param key the setting's name
   * @return its value, or empty
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Lists the keys, with secret values masked. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ConnectorConfig{");
    String sep = "";
    for (String key : new TreeSet<>(values.keySet())) {
      sb.append(sep).append(key).append('=')
          .append(secretKeys.contains(key) ? "██" : values.get(key));
      sep = ", ";
    }
    return sb.append('}').toString();
  }

  /** Builds a {@link ConnectorConfig}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> secretKeys = new TreeSet<>();

    private Builder() {}

    /**
     * Sets a plain setting.
     *
     * @param key the name
     * @param value the value
     * @return this builder
     * @throws InvalidInputException if either is null
     */
    public Builder set(String key, @Nullable String value) {
      values.put(Checks.notNull(key, "key"), Checks.notNull(value, key));
      return this;
    }

    /**
     * Sets a secret setting (token, key, client secret), masked in {@code toString()}.
     *
     * @param key the name
     * @param value the secret
     * @return this builder
     * @throws InvalidInputException if either is null
     */
    public Builder secret(String key, @Nullable String value) {
      set(key, value);
      secretKeys.add(key);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public ConnectorConfig build() {
      return new ConnectorConfig(this);
    }
  }
}
