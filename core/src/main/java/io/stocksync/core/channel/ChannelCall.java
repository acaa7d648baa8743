package io.stocksync.core.channel;

/** The kinds of connector call, so a connector can estimate each one's cost before it is made. */
public enum ChannelCall {
  /** {@link ChannelConnector#listings}: one page. */
  LISTINGS,
  /** {@link ChannelConnector#orders}: one page. */
  ORDERS,
  /** {@link ChannelConnector#readOrder}: one order by id. */
  ORDER,
  /** {@link ChannelConnector#readQuantities}: one chunk of at most the maximum batch size. */
  QUANTITIES,
  /** {@link ChannelConnector#push}: one batch. */
  PUSH
}
