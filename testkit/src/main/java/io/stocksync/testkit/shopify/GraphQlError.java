package io.stocksync.testkit.shopify;

/** A top-level GraphQL error: the request is answered with {@code errors[]} and not executed. */
final class GraphQlError extends Exception {
  private static final long serialVersionUID = 1L;

  static final String BAD_REQUEST = "BAD_REQUEST";
  static final String MAX_INPUT_SIZE_EXCEEDED = "MAX_INPUT_SIZE_EXCEEDED";
  static final String UNKNOWN_OPERATION = "UNKNOWN_OPERATION";

  private final String code;

  GraphQlError(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static GraphQlError badRequest(String message) {
    return new GraphQlError(BAD_REQUEST, message);
  }

  String code() {
    return code;
  }
}
