package io.stocksync.oauth;

import io.stocksync.core.InvalidInputException;
import java.util.Locale;
import java.util.Set;

/**
 * The request header that carries the access token: its name and the text before the token, as
 * in {@code Authorization: Bearer <token>} (Etsy, eBay's REST APIs) or {@code
 * x-amz-access-token: <token>} (Amazon SP-API).
 *
 * @param name the header name, e.g. {@code Authorization}
 * @param prefix the text before the token, e.g. {@code "Bearer "}; empty for none
 */
public record AccessTokenHeader(String name, String prefix) {
  private static final Set<String> FORBIDDEN = Set.of("host", "content-length", "content-type");

  /**
   * Validates the header.
   *
   * @param name the header name
   * @param prefix the text before the token, empty for none
   * @throws InvalidInputException if the name is blank or not a token header we can set, or the
   *     prefix is null
   */
  public AccessTokenHeader {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("name", "must not be blank");
    }
    if (FORBIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
      throw new InvalidInputException("name", "cannot carry a token: " + name);
    }
    if (prefix == null) {
      throw new InvalidInputException("prefix", "must not be null (use \"\" for none)");
    }
  }

  /**
   * {@code Authorization: Bearer <token>} (RFC 6750).
   *
   * @return the header
   */
  public static AccessTokenHeader bearer() {
    return new AccessTokenHeader("Authorization", "Bearer ");
  }

  /**
   * A header holding the bare token, e.g. {@code x-amz-access-token} or eBay's Trading API
   * {@code X-EBAY-API-IAF-TOKEN}.
   *
   * @param name the header name
   * @return the header
   * @throws InvalidInputException if the name is blank
   */
  public static AccessTokenHeader named(String name) {
    return new AccessTokenHeader(name, "");
  }

  /**
   * Returns the header value for a token.
   *
   * @param accessToken the token
   * @return prefix followed by the token
   */
  String value(String accessToken) {
    return prefix + accessToken;
  }
}
