package io.stocksync.core;

import org.jspecify.annotations.Nullable;

/**
 * A channel's response could not be read: not JSON, a missing required field, a wrong type. This
 * is an encoding problem on the wire, as opposed to a well-formed answer that says "no".
 */
public class MalformedResponseException extends ChannelException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong with the response
   * @param cause the parse failure, may be null
   */
  public MalformedResponseException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
