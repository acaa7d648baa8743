package io.stocksync.oauth;

import io.stocksync.core.InvalidInputException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable OAuth token pair: the refresh token, and the access token with the instant it
 * expires when one has been issued. This is what a {@link CredentialsStore} persists.
 *
 * <p>{@link #toString()} never shows a token. Equality compares every field.
 */
public final class OAuthTokens {
  private final String refreshToken;
  private final @Nullable String accessToken;
  private final @Nullable Instant accessTokenExpiresAt;

  private OAuthTokens(
      String refreshToken, @Nullable String accessToken, @Nullable Instant accessTokenExpiresAt) {
    this.refreshToken = refreshToken;
    this.accessToken = accessToken;
    this.accessTokenExpiresAt = accessTokenExpiresAt;
  }

  /**
   * Creates a pair holding only a refresh token, as a host has it right after the seller
   * authorised the app (or after loading it from its vault).
   *
   * @param refreshToken the refresh token, not blank
   * @return the tokens
   * @throws InvalidInputException if the refresh token is null or blank
   */
  public static OAuthTokens ofRefreshToken(String refreshToken) {
    return new OAuthTokens(requireToken("refreshToken", refreshToken), null, null);
  }

  /**
   * Creates a full pair.
   *
   * @param refreshToken the refresh token, not blank
   * @param accessToken the access token, or null when none was issued yet
   * @param accessTokenExpiresAt when the access token expires, or null when unknown (the token
   *     is then used until the channel refuses it); must be null when the access token is
   * @return the tokens
   * @throws InvalidInputException if a token is blank or an expiry is given without an access
   *     token
   */
  public static OAuthTokens of(
      String refreshToken, @Nullable String accessToken, @Nullable Instant accessTokenExpiresAt) {
    String refresh = requireToken("refreshToken", refreshToken);
    if (accessToken != null) {
      requireToken("accessToken", accessToken);
    } else if (accessTokenExpiresAt != null) {
      throw new InvalidInputException(
          "accessTokenExpiresAt", "given without an access token");
    }
    return new OAuthTokens(refresh, accessToken, accessTokenExpiresAt);
  }

  private static String requireToken(String field, @Nullable String token) {
    if (token == null) {
      throw new InvalidInputException(field, "must not be null");
    }
    if (token.isBlank()) {
      throw new InvalidInputException(field, "must not be blank");
    }
    return token;
  }

  /**
   * Returns the refresh token.
   *
   * @return the refresh token, never blank
   */
  public String refreshToken() {
    return refreshToken;
  }

  /**
   * Returns the access token.
   *
   * @return the access token, or empty when none was issued yet
   */
  public Optional<String> accessToken() {
    return Optional.ofNullable(accessToken);
  }

  /**
   * Returns when the access token expires.
   *
   * @return the expiry, or empty when there is no access token or the channel did not say
   */
  public Optional<Instant> accessTokenExpiresAt() {
    return Optional.ofNullable(accessTokenExpiresAt);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof OAuthTokens other
        && refreshToken.equals(other.refreshToken)
        && Objects.equals(accessToken, other.accessToken)
        && Objects.equals(accessTokenExpiresAt, other.accessTokenExpiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(refreshToken, accessToken, accessTokenExpiresAt);
  }

  /** Shows whether an access token is present and its expiry, never a token. */
  @Override
  public String toString() {
    return "OAuthTokens{refreshToken=[redacted], accessToken="
        + (accessToken == null ? "none" : "[redacted]")
        + ", accessTokenExpiresAt="
        + accessTokenExpiresAt
        + "}";
  }
}
