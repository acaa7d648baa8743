package io.stocksync.core;

/** Where a connected store stands. */
public enum SyncStatus {
  /** Connected and listings are synced, but inventory and order sync are off. */
  CONNECTED,
  /** Orders are imported and inventory is pushed. */
  SYNC_ON,
  /** The channel refused the credentials; reconnect with fresh ones. Nothing was deleted. */
  NEEDS_REAUTH,
  /** Disconnected by the host; nothing is synced. */
  DISCONNECTED
}
