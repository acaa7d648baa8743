package io.stocksync.core.sync;

/**
 * Receives the engine's events. Every method defaults to {@link #onEvent(SyncEvent)}, which does
 * nothing, so implement either the typed methods you care about or {@code onEvent} for all.
 * Called on engine threads; must be quick. A listener that throws, an {@link Error} included
 * (but not a {@link VirtualMachineError}), is logged and ignored: it never stops the engine's work.
 */
public interface SyncListener {
  /**
   * Called for every event unless the typed method is overridden.
   *
   * @param event the event
   */
  default void onEvent(SyncEvent event) {}

  /**
   * A sync run finished.
   *
   * @param event the event
   */
  default void onRunFinished(SyncEvent.RunFinished event) {
    onEvent(event);
  }

  /**
   * A push call returned.
   *
   * @param event the event
   */
  default void onPushBatch(SyncEvent.PushBatch event) {
    onEvent(event);
  }

  /**
   * Work failed and will be retried.
   *
   * @param event the event
   */
  default void onFailure(SyncEvent.Failure event) {
    onEvent(event);
  }

  /**
   * Listings of one store share a SKU.
   *
   * @param event the event
   */
  default void onDuplicateSkus(SyncEvent.DuplicateSkus event) {
    onEvent(event);
  }

  /**
   * A copy found listings of one SKU with different quantities.
   *
   * @param event the event
   */
  default void onCopyConflict(SyncEvent.CopyConflict event) {
    onEvent(event);
  }

  /**
   * An order oversold a SKU.
   *
   * @param event the event
   */
  default void onOversell(SyncEvent.Oversell event) {
    onEvent(event);
  }

  /**
   * An order line has a SKU the hub does not know.
   *
   * @param event the event
   */
  default void onUnknownSku(SyncEvent.UnknownSku event) {
    onEvent(event);
  }

  /**
   * A listing waits for its product's stock to be set.
   *
   * @param event the event
   */
  default void onAwaitingStock(SyncEvent.AwaitingStock event) {
    onEvent(event);
  }

  /**
   * A listing is not tracked by its channel and is never pushed.
   *
   * @param event the event
   */
  default void onUntracked(SyncEvent.Untracked event) {
    onEvent(event);
  }

  /**
   * A store's status changed.
   *
   * @param event the event
   */
  default void onStatusChanged(SyncEvent.StatusChanged event) {
    onEvent(event);
  }
}
