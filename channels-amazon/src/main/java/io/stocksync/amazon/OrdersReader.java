package io.stocksync.amazon;

import io.stocksync.core.channel.ChannelOrder;
import io.stocksync.core.channel.OrderQuery;
import io.stocksync.core.channel.Page;
import java.util.Optional;

/**
 * Reads merchant-fulfilled orders, one page at a time. One small seam so the Orders API version
 * can move (v0's reads retire on 2027-03-27; 2026-01-01 is what we build on) without touching the
 * connector.
 */
interface OrdersReader {
  /** The SP-API operation each page costs, for pacing. */
  String operation();

  /** One page of MFN orders updated at or after the query's bound, by update time ascending. */
  Page<ChannelOrder> read(OrderQuery query);

  /** The SP-API operation reading one order costs, for pacing. */
  String singleOperation();

  /** One order by id: empty if Amazon does not know it or it is AFN. */
  Optional<ChannelOrder> readOne(String orderId);
}
