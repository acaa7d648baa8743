package io.stocksync.testkit.ebay;

/**
 * A Notification API message as eBay pushes it to a subscriber's endpoint.
 *
 * @param signatureHeader the value of the {@code X-EBAY-SIGNATURE} header
 * @param body the JSON body, byte for byte as signed
 */
public record Notification(String signatureHeader, byte[] body) {
  /**
   * Copies the body.
   *
   * @param signatureHeader see the record description
   * @param body see the record description
   */
  public Notification {
    body = body.clone();
  }

  /**
   * Returns a copy of the body.
   *
   * @return the body
   */
  @Override
  public byte[] body() {
    return body.clone();
  }
}
