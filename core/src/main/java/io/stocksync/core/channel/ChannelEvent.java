package io.stocksync.core.channel;

import io.stocksync.core.internal.Checks;

/**
 * Something a channel told the host out of band (a webhook), handed to the engine as a trigger.
 * Events only make the engine look sooner; polling stays the source of truth.
 */
public sealed interface ChannelEvent
    permits ChannelEvent.OrdersChanged,
        ChannelEvent.OrderChanged,
        ChannelEvent.ListingsChanged,
        ChannelEvent.StockChanged,
        ChannelEvent.AccessRevoked {

  /** Orders were created or changed: sync orders now. */
  record OrdersChanged() implements ChannelEvent {}

  /**
   * One order, named by the channel, was created or changed. Where the connector {@linkplain
   * ChannelConnector#readsOrderById() reads orders by id}, the engine reads and applies just that
   * order at once; otherwise this is {@link OrdersChanged}. Worth it on channels whose order
   * search is rationed (Amazon's {@code searchOrders}: one call per 3 minutes) while reading one
   * order is cheap. The order cursor does not move: the next order sync still reads the order,
   * and applies nothing twice.
   *
   * @param orderId the channel's order id
   */
  record OrderChanged(String orderId) implements ChannelEvent {
    /** The longest order id accepted. */
    public static final int MAX_ID_LENGTH = 255;

    /**
     * Validates the component.
     *
     * @param orderId see the record description
     * @throws io.stocksync.core.InvalidInputException if the id is null, blank or longer than
     *     {@link #MAX_ID_LENGTH} characters
     */
    public OrderChanged {
      Checks.notBlank(orderId, "orderId", MAX_ID_LENGTH);
    }
  }

  /** Listings were created or changed: sync listings now. */
  record ListingsChanged() implements ChannelEvent {}

  /**
   * A stock figure changed on the store, not by our own push.
   *
   * @param ref the figure
   * @param quantity its new value
   */
  record StockChanged(StockRef ref, long quantity) implements ChannelEvent {
    /**
     * Validates and normalises the components.
     *
     * @param ref see the record description
     * @param quantity see the record description
     * @throws io.stocksync.core.InvalidInputException if the reference is null
     */
    public StockChanged {
      Checks.notNull(ref, "ref");
    }
  }

  /** The store revoked our access (app uninstalled): the store needs re-authorisation. */
  record AccessRevoked() implements ChannelEvent {}
}
