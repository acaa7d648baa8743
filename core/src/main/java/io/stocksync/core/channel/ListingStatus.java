package io.stocksync.core.channel;

/** A listing's state on its channel, normalised across channels. */
public enum ListingStatus {
  /** For sale. */
  ACTIVE,
  /** Not yet published (Shopify DRAFT); imported only when the store option asks for drafts. */
  DRAFT,
  /** Published but out of stock (Etsy sold_out); pushed so it can come back. */
  SOLD_OUT,
  /** Archived, ended or deactivated; never pushed. */
  INACTIVE;

  /**
   * Tells whether stock is pushed to listings in this state.
   *
   * @return true for active, draft and sold-out listings
   */
  public boolean pushable() {
    return this != INACTIVE;
  }
}
