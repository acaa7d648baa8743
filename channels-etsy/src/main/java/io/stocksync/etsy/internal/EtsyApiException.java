package io.stocksync.etsy.internal;

import io.stocksync.core.ChannelException;

/** Etsy answered a 4xx other than 401, 403 and 429: the request itself was refused. */
public final class EtsyApiException extends ChannelException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the HTTP status
   * @param message what Etsy said, without secrets
   */
  public EtsyApiException(int status, String message) {
    super(message, null);
    this.status = status;
  }

  /**
   * The HTTP status.
   *
   * @return the status
   */
  public int status() {
    return status;
  }
}
