package io.stocksync.testkit.shopify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The GraphQL operations of the emulator, dispatched on {@code operationName}: validation, cost,
 * rate limit, execution and the response document. Queries are not parsed; each operation answers
 * with a fixed selection (the fields a stock-sync connector needs).
 *
 * <p>Not thread-safe: {@link #execute} must be called while holding the {@link ShopState} monitor.
 */
final class GraphQlApi {
  /** The first API version with {@code changeFromQuantity} and mandatory idempotency. */
  static final String IDEMPOTENT_SINCE = "2026-04";

  static final int MAX_PAGE_SIZE = 250;
  static final int MAX_INPUT_SIZE = 250;
  static final long MAX_QUANTITY = 1_000_000_000L;

  private static final Set<String> REASONS =
      Set.of(
          "correction",
          "cycle_count_available",
          "damaged",
          "movement_canceled",
          "movement_created",
          "movement_received",
          "movement_updated",
          "other",
          "promotion",
          "quality_control",
          "received",
          "reservation_created",
          "reservation_deleted",
          "reservation_updated",
          "restock",
          "safety_stock",
          "shrinkage");

  private final ShopState state;
  private final LeakyBucket bucket;
  private final String shopName;
  private final String shopDomain;
  private long pointsSpent;
  private int throttledCount;

  GraphQlApi(ShopState state, LeakyBucket bucket, String shopName, String shopDomain) {
    this.state = state;
    this.bucket = bucket;
    this.shopName = shopName;
    this.shopDomain = shopDomain;
  }

  long pointsSpent() {
    return pointsSpent;
  }

  int throttledCount() {
    return throttledCount;
  }

  LeakyBucket bucket() {
    return bucket;
  }

  /** A validated request: its requested cost and how to run it. */
  private record Prepared(int requestedCost, Supplier<Executed> run) {}

  /** An executed request: the {@code data} document and the actual cost. */
  private record Executed(Map<String, @Nullable Object> data, int actualCost) {}

  /**
   * Validates, rate-limits and runs one request.
   *
   * @return the JSON body of an HTTP 200 answer
   */
  String execute(
      String version,
      @Nullable String operationName,
      Map<String, @Nullable Object> variables,
      @Nullable String query) {
    bucket.refill();
    Prepared prepared;
    try {
      prepared = prepare(version, operationName, variables, query == null ? "" : query);
    } catch (GraphQlError e) {
      return errorBody(error(e.getMessage(), e.code()), 0);
    }
    int requested = prepared.requestedCost();
    if (requested > CostModel.MAX_SINGLE_QUERY_COST) {
      Map<String, @Nullable Object> error =
          error(
              "Query cost is "
                  + requested
                  + ", which exceeds the single query max cost limit ("
                  + CostModel.MAX_SINGLE_QUERY_COST
                  + ").",
              "MAX_COST_EXCEEDED");
      Map<String, @Nullable Object> extensions = Json.asObject(error.get("extensions"));
      if (extensions != null) {
        extensions.put("cost", requested);
        extensions.put("maxCost", CostModel.MAX_SINGLE_QUERY_COST);
      }
      return errorBody(error, requested);
    }
    if (requested > bucket.refill()) {
      throttledCount++;
      Map<String, @Nullable Object> error = error("Throttled", "THROTTLED");
      Map<String, @Nullable Object> extensions = Json.asObject(error.get("extensions"));
      if (extensions != null) {
        extensions.put("documentation", "https://shopify.dev/api/usage/rate-limits");
      }
      return errorBody(error, requested);
    }
    bucket.take(requested);
    Executed executed = prepared.run().get();
    bucket.refund(requested - executed.actualCost());
    pointsSpent += executed.actualCost();
    return Json.write(
        Json.object(
            "data", executed.data(),
            "extensions", costExtensions(requested, executed.actualCost())));
  }

  private Prepared prepare(
      String version,
      @Nullable String operationName,
      Map<String, @Nullable Object> variables,
      String query)
      throws GraphQlError {
    if (operationName == null) {
      throw GraphQlError.badRequest(
          "An operationName is required: the emulator dispatches on it.");
    }
    return switch (operationName) {
      case "Shop" -> new Prepared(
          CostModel.requested("Shop", 0),
          () -> new Executed(Json.object("shop", shopNode()), CostModel.cost("Shop", 0, 0)));
      case "Locations" -> prepareLocations(variables);
      case "ProductVariants" -> prepareProductVariants(variables);
      case "InventoryItems" -> prepareInventoryItems(variables);
      case "Orders" -> prepareOrders(variables);
      case "InventorySet" -> prepareInventorySet(version, variables, query);
      default -> throw new GraphQlError(
          GraphQlError.UNKNOWN_OPERATION, "No operation named \"" + operationName + "\"");
    };
  }

  // ---------------------------------------------------------------- queries

  private Map<String, @Nullable Object> shopNode() {
    Map<String, @Nullable Object> shop = Json.object();
    shop.put("id", Gid.of("Shop", ShopState.SHOP_ID));
    shop.put("name", shopName);
    shop.put("myshopifyDomain", shopDomain);
    return shop;
  }

  private Prepared prepareLocations(Map<String, @Nullable Object> variables) throws GraphQlError {
    int first = first(variables);
    long after = Cursor.afterId("Location", optionalString(variables, "after"));
    Object includeInactiveValue = variables.get("includeInactive");
    if (includeInactiveValue != null && !(includeInactiveValue instanceof Boolean)) {
      throw invalidVariable("includeInactive", "Boolean", includeInactiveValue);
    }
    boolean includeInactive = Boolean.TRUE.equals(includeInactiveValue);
    return new Prepared(
        CostModel.requested("Locations", first),
        () -> {
          Map<String, @Nullable Object> connection =
              page(
                  state.locations.tailMap(after, false).values(),
                  location -> includeInactive || location.active,
                  first,
                  location -> Cursor.ofId("Location", location.id),
                  GraphQlApi::locationNode);
          return new Executed(
              Json.object("locations", connection),
              CostModel.cost("Locations", first, returned(connection)));
        });
  }

  private static Map<String, @Nullable Object> locationNode(ShopState.Location location) {
    Map<String, @Nullable Object> node = Json.object();
    node.put("id", Gid.of("Location", location.id));
    node.put("name", location.name);
    node.put("isActive", location.active);
    node.put("fulfillsOnlineOrders", location.active);
    return node;
  }

  private Prepared prepareProductVariants(Map<String, @Nullable Object> variables)
      throws GraphQlError {
    int first = first(variables);
    long after = Cursor.afterId("ProductVariant", optionalString(variables, "after"));
    SearchQuery search = SearchQuery.parse(optionalString(variables, "query"), true);
    return new Prepared(
        CostModel.requested("ProductVariants", first),
        () -> {
          Map<String, @Nullable Object> connection =
              page(
                  state.variants.tailMap(after, false).values(),
                  variant -> search.matches(variant.updatedAt, variant.product.status),
                  first,
                  variant -> Cursor.ofId("ProductVariant", variant.id),
                  GraphQlApi::variantNode);
          return new Executed(
              Json.object("productVariants", connection),
              CostModel.cost("ProductVariants", first, returned(connection)));
        });
  }

  private static Map<String, @Nullable Object> variantNode(ShopState.Variant variant) {
    Map<String, @Nullable Object> product = Json.object();
    product.put("id", Gid.of("Product", variant.product.id));
    product.put("title", variant.product.title);
    product.put("status", variant.product.status.name());
    Map<String, @Nullable Object> node = Json.object();
    node.put("id", Gid.of("ProductVariant", variant.id));
    node.put("sku", variant.sku);
    node.put("title", variant.title);
    node.put("updatedAt", variant.updatedAt.toString());
    node.put("product", product);
    node.put("inventoryItem", itemNode(variant.item));
    return node;
  }

  private static Map<String, @Nullable Object> itemNode(ShopState.InventoryItem item) {
    List<Object> levels = new ArrayList<>(item.levels.size());
    for (Map.Entry<Long, ShopState.Level> entry : item.levels.entrySet()) {
      ShopState.Level level = entry.getValue();
      levels.add(
          Json.object(
              "location",
              Json.object("id", Gid.of("Location", entry.getKey())),
              "quantities",
              List.of(
                  Json.object("name", "available", "quantity", level.available),
                  Json.object("name", "on_hand", "quantity", level.onHand))));
    }
    Map<String, @Nullable Object> node = Json.object();
    node.put("id", Gid.of("InventoryItem", item.id));
    node.put("tracked", item.tracked);
    node.put("inventoryLevels", Json.object("nodes", levels));
    return node;
  }

  private Prepared prepareInventoryItems(Map<String, @Nullable Object> variables)
      throws GraphQlError {
    if (!(variables.get("ids") instanceof List<?> ids)) {
      throw invalidVariable("ids", "[ID!]!", variables.get("ids"));
    }
    if (ids.size() > MAX_INPUT_SIZE) {
      throw tooManyInputs(ids.size());
    }
    for (Object id : ids) {
      if (!Gid.wellFormed(id)) {
        throw GraphQlError.badRequest("Invalid global id '" + id + "'");
      }
    }
    int size = ids.size();
    return new Prepared(
        CostModel.requested("InventoryItems", size),
        () -> {
          List<@Nullable Object> nodes = new ArrayList<>(size);
          for (Object id : ids) {
            ShopState.InventoryItem item =
                state.inventoryItems.get(Gid.parse("InventoryItem", id));
            nodes.add(item == null ? null : itemNode(item));
          }
          return new Executed(
              Json.object("nodes", nodes), CostModel.cost("InventoryItems", size, size));
        });
  }

  private Prepared prepareOrders(Map<String, @Nullable Object> variables) throws GraphQlError {
    int first = first(variables);
    @Nullable String afterCursor = optionalString(variables, "after");
    ShopState.@Nullable OrderKey after =
        afterCursor == null ? null : Cursor.afterOrder("Order", afterCursor);
    SearchQuery search = SearchQuery.parse(optionalString(variables, "query"), false);
    return new Prepared(
        CostModel.requested("Orders", first),
        () -> {
          Collection<ShopState.Order> source =
              after == null
                  ? state.ordersByUpdatedAt.values()
                  : state.ordersByUpdatedAt.tailMap(after, false).values();
          Map<String, @Nullable Object> connection =
              page(
                  source,
                  order -> search.matches(order.updatedAt),
                  first,
                  order -> Cursor.ofInstantAndId("Order", order.updatedAt, order.id),
                  GraphQlApi::orderNode);
          return new Executed(
              Json.object("orders", connection),
              CostModel.cost("Orders", first, returned(connection)));
        });
  }

  private static Map<String, @Nullable Object> orderNode(ShopState.Order order) {
    List<Object> lines = new ArrayList<>(order.lines.size());
    for (ShopState.Line line : order.lines) {
      Map<String, @Nullable Object> node = Json.object();
      node.put("id", Gid.of("LineItem", line.id));
      node.put("sku", line.sku);
      node.put("quantity", line.quantity);
      node.put("currentQuantity", line.current());
      node.put("unfulfilledQuantity", line.unfulfilled());
      lines.add(node);
    }
    List<Object> fulfillments = new ArrayList<>(order.fulfillments.size());
    for (ShopState.Fulfillment fulfillment : order.fulfillments) {
      List<Object> items = new ArrayList<>(fulfillment.lines().size());
      for (ShopState.FulfillmentLine item : fulfillment.lines()) {
        items.add(
            Json.object(
                "lineItem",
                Json.object("id", Gid.of("LineItem", item.line().id)),
                "quantity",
                item.quantity()));
      }
      Map<String, @Nullable Object> fulfillmentNode = Json.object();
      fulfillmentNode.put("id", Gid.of("Fulfillment", fulfillment.id()));
      fulfillmentNode.put("status", "SUCCESS");
      fulfillmentNode.put("fulfillmentLineItems", Json.object("nodes", items));
      fulfillments.add(fulfillmentNode);
    }
    List<Object> refunds = new ArrayList<>(order.refunds.size());
    for (ShopState.Refund refund : order.refunds) {
      List<Object> items = new ArrayList<>(refund.lines().size());
      for (ShopState.RefundLine item : refund.lines()) {
        Map<String, @Nullable Object> node = Json.object();
        node.put("quantity", item.quantity());
        node.put("restockType", item.restockType().name());
        node.put(
            "lineItem",
            Json.object("id", Gid.of("LineItem", item.line().id), "sku", item.line().sku));
        items.add(node);
      }
      Map<String, @Nullable Object> node = Json.object();
      node.put("id", Gid.of("Refund", refund.id()));
      node.put("createdAt", refund.createdAt().toString());
      node.put("refundLineItems", Json.object("nodes", items));
      refunds.add(node);
    }
    Map<String, @Nullable Object> node = Json.object();
    node.put("id", Gid.of("Order", order.id));
    node.put("name", order.name);
    node.put("createdAt", order.createdAt.toString());
    node.put("updatedAt", order.updatedAt.toString());
    node.put("cancelledAt", order.cancelledAt == null ? null : order.cancelledAt.toString());
    node.put("displayFulfillmentStatus", order.displayFulfillmentStatus());
    // Shopify's retailLocation: the location a point-of-sale order was placed at. The emulator
    // reports the location the order's stock was taken from, or null when none was.
    long soldAt = order.lines.isEmpty() ? -1 : order.lines.get(0).locationId;
    node.put("retailLocation", soldAt < 0 ? null : Json.object("id", Gid.of("Location", soldAt)));
    node.put("lineItems", Json.object("nodes", lines));
    node.put("fulfillments", fulfillments);
    node.put("refunds", refunds);
    return node;
  }

  // ---------------------------------------------------------------- inventorySetQuantities

  /** One entry of {@code input.quantities}, type-checked. */
  private record QuantityInput(
      String inventoryItemId,
      String locationId,
      int quantity,
      boolean compareGiven,
      @Nullable Integer compareTo) {}

  private record Pair(long inventoryItemId, long locationId) {}

  private Prepared prepareInventorySet(
      String version, Map<String, @Nullable Object> variables, String query) throws GraphQlError {
    boolean idempotent = version.compareTo(IDEMPOTENT_SINCE) >= 0;
    Map<String, @Nullable Object> input = Json.asObject(variables.get("input"));
    if (input == null) {
      throw invalidVariable("input", "InventorySetQuantitiesInput!", variables.get("input"));
    }
    @Nullable String key = null;
    if (idempotent) {
      if (!query.contains("@idempotent")) {
        throw GraphQlError.badRequest(
            "inventorySetQuantities requires the @idempotent(key: ...) directive in API version "
                + version);
      }
      if (!(variables.get("idempotencyKey") instanceof String k) || k.isBlank()) {
        throw invalidVariable("idempotencyKey", "String!", variables.get("idempotencyKey"));
      }
      key = k;
    }
    String compareField = idempotent ? "changeFromQuantity" : "compareQuantity";
    Set<String> inputFields =
        idempotent
            ? Set.of("name", "reason", "referenceDocumentUri", "quantities")
            : Set.of("name", "reason", "referenceDocumentUri", "quantities", "ignoreCompareQuantity");
    Set<String> quantityFields = Set.of("inventoryItemId", "locationId", "quantity", compareField);
    for (String field : input.keySet()) {
      if (!inputFields.contains(field)) {
        throw notAccepted("InventorySetQuantitiesInput", field, version);
      }
    }
    if (!(input.get("name") instanceof String name)) {
      throw invalidVariable("input.name", "String!", input.get("name"));
    }
    if (!(input.get("reason") instanceof String reason)) {
      throw invalidVariable("input.reason", "String!", input.get("reason"));
    }
    Object uriValue = input.get("referenceDocumentUri");
    if (uriValue != null && !(uriValue instanceof String)) {
      throw invalidVariable("input.referenceDocumentUri", "String", uriValue);
    }
    @Nullable String referenceDocumentUri = (String) uriValue;
    Object ignoreValue = input.get("ignoreCompareQuantity");
    if (ignoreValue != null && !(ignoreValue instanceof Boolean)) {
      throw invalidVariable("input.ignoreCompareQuantity", "Boolean", ignoreValue);
    }
    boolean ignoreCompare = Boolean.TRUE.equals(ignoreValue);
    if (!(input.get("quantities") instanceof List<?> rawQuantities)) {
      throw invalidVariable("input.quantities", "[InventoryQuantityInput!]!", input.get("quantities"));
    }
    if (rawQuantities.size() > MAX_INPUT_SIZE) {
      throw tooManyInputs(rawQuantities.size());
    }
    List<QuantityInput> quantities = new ArrayList<>(rawQuantities.size());
    for (int i = 0; i < rawQuantities.size(); i++) {
      String path = "input.quantities[" + i + "]";
      Map<String, @Nullable Object> q = Json.asObject(rawQuantities.get(i));
      if (q == null) {
        throw invalidVariable(path, "InventoryQuantityInput!", rawQuantities.get(i));
      }
      for (String field : q.keySet()) {
        if (!quantityFields.contains(field)) {
          throw notAccepted("InventoryQuantityInput", field, version);
        }
      }
      if (!(q.get("inventoryItemId") instanceof String itemId)) {
        throw invalidVariable(path + ".inventoryItemId", "ID!", q.get("inventoryItemId"));
      }
      if (!(q.get("locationId") instanceof String locationId)) {
        throw invalidVariable(path + ".locationId", "ID!", q.get("locationId"));
      }
      Integer quantity = intValue(q.get("quantity"));
      if (quantity == null) {
        throw invalidVariable(path + ".quantity", "Int!", q.get("quantity"));
      }
      Object compareValue = q.get(compareField);
      Integer compareTo = intValue(compareValue);
      if (compareValue != null && compareTo == null) {
        throw invalidVariable(path + "." + compareField, "Int", compareValue);
      }
      quantities.add(
          new QuantityInput(itemId, locationId, quantity, q.containsKey(compareField), compareTo));
    }
    int cost = CostModel.requested("InventorySet", quantities.size());
    Object canonical = Json.freeze(input);
    @Nullable String idempotencyKey = key;
    return new Prepared(
        cost,
        () -> {
          if (idempotencyKey != null) {
            ShopState.StoredMutation stored = state.idempotency.get(idempotencyKey);
            if (stored != null) {
              if (stored.input().equals(canonical)) {
                return new Executed(stored.data(), cost);
              }
              return new Executed(
                  inventorySetPayload(
                      null,
                      List.of(
                          userError(
                              "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                              List.of("idempotencyKey"),
                              "The idempotency key was already used with different parameters."))),
                  cost);
            }
          }
          Map<String, @Nullable Object> data =
              runInventorySet(
                  idempotent, name, reason, referenceDocumentUri, ignoreCompare, quantities);
          if (idempotencyKey != null) {
            state.idempotency.put(idempotencyKey, new ShopState.StoredMutation(canonical, data));
          }
          return new Executed(data, cost);
        });
  }

  private Map<String, @Nullable Object> runInventorySet(
      boolean idempotent,
      String name,
      String reason,
      @Nullable String referenceDocumentUri,
      boolean ignoreCompare,
      List<QuantityInput> quantities) {
    List<Object> errors = new ArrayList<>();
    boolean onHand = name.equals("on_hand");
    if (!onHand && !name.equals("available")) {
      errors.add(
          userError(
              "INVALID_NAME",
              List.of("input", "name"),
              "The quantity name must be either 'available' or 'on_hand'."));
    }
    if (!REASONS.contains(reason)) {
      errors.add(
          userError(
              "INVALID_REASON", List.of("input", "reason"), "The specified reason is invalid."));
    }
    if (referenceDocumentUri != null && !validUri(referenceDocumentUri)) {
      errors.add(
          userError(
              "INVALID_REFERENCE_DOCUMENT",
              List.of("input", "referenceDocumentUri"),
              "The specified reference document URI is invalid."));
    }
    int n = quantities.size();
    ShopState.InventoryItem[] items = new ShopState.InventoryItem[n];
    long[] locationIds = new long[n];
    ShopState.Level[] levels = new ShopState.Level[n];
    Set<Pair> seen = new HashSet<>(n * 2);
    for (int i = 0; i < n; i++) {
      QuantityInput q = quantities.get(i);
      String index = Integer.toString(i);
      ShopState.InventoryItem item =
          state.inventoryItems.get(Gid.parse("InventoryItem", q.inventoryItemId()));
      if (item == null) {
        errors.add(
            itemError(
                "INVALID_INVENTORY_ITEM",
                index,
                "inventoryItemId",
                "The specified inventory item could not be found."));
        continue;
      }
      long locationId = Gid.parse("Location", q.locationId());
      if (!state.locations.containsKey(locationId)) {
        errors.add(
            itemError(
                "INVALID_LOCATION",
                index,
                "locationId",
                "The specified location could not be found."));
        continue;
      }
      if (!item.tracked) {
        errors.add(
            itemError(
                "NON_MUTABLE_INVENTORY_ITEM",
                index,
                "inventoryItemId",
                "The specified inventory item is not tracked, so its quantities cannot be set."));
        continue;
      }
      ShopState.Level level = item.levels.get(locationId);
      if (level == null) {
        errors.add(
            itemError(
                "ITEM_NOT_STOCKED_AT_LOCATION",
                index,
                "locationId",
                "The specified inventory item is not stocked at the location."));
        continue;
      }
      if (q.quantity() < 0) {
        errors.add(
            itemError(
                "INVALID_QUANTITY_NEGATIVE", index, "quantity", "The quantity can't be negative."));
        continue;
      }
      if (q.quantity() > MAX_QUANTITY) {
        errors.add(
            itemError(
                "INVALID_QUANTITY_TOO_HIGH",
                index,
                "quantity",
                "The quantity can't be higher than 1,000,000,000."));
        continue;
      }
      if (!seen.add(new Pair(item.id, locationId))) {
        errors.add(
            itemError(
                "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                index,
                "inventoryItemId",
                "The combination of inventoryItemId and locationId must be unique."));
        continue;
      }
      long current = onHand ? level.onHand : level.available;
      if (idempotent) {
        if (!q.compareGiven()) {
          errors.add(
              itemError(
                  "COMPARE_QUANTITY_REQUIRED",
                  index,
                  "changeFromQuantity",
                  "changeFromQuantity is required; pass null to skip the comparison."));
          continue;
        }
        if (q.compareTo() != null && q.compareTo() != current) {
          errors.add(
              itemError(
                  "CHANGE_FROM_QUANTITY_STALE",
                  index,
                  "changeFromQuantity",
                  "The specified changeFromQuantity does not match the current quantity ("
                      + current
                      + ")."));
          continue;
        }
      } else if (!ignoreCompare) {
        if (q.compareTo() == null) {
          errors.add(
              itemError(
                  "COMPARE_QUANTITY_REQUIRED",
                  index,
                  "compareQuantity",
                  "compareQuantity is required unless ignoreCompareQuantity is true."));
          continue;
        }
        if (q.compareTo() != current) {
          errors.add(
              itemError(
                  "COMPARE_QUANTITY_STALE",
                  index,
                  "compareQuantity",
                  "The specified compare quantity does not match the current quantity ("
                      + current
                      + ")."));
          continue;
        }
      }
      items[i] = item;
      locationIds[i] = locationId;
      levels[i] = level;
    }
    if (!errors.isEmpty()) {
      return inventorySetPayload(null, errors);
    }
    Instant now = state.now();
    List<Object> changes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ShopState.Level level = levels[i];
      long target = quantities.get(i).quantity();
      long delta = target - (onHand ? level.onHand : level.available);
      if (delta == 0) {
        continue;
      }
      level.available += delta;
      level.onHand += delta;
      level.updatedAt = now;
      Map<String, @Nullable Object> change = Json.object();
      change.put("name", name);
      change.put("delta", delta);
      change.put("quantityAfterChange", target);
      change.put("item", Json.object("id", Gid.of("InventoryItem", items[i].id)));
      change.put("location", Json.object("id", Gid.of("Location", locationIds[i])));
      changes.add(change);
      if (state.eventsEnabled) {
        state.emitLevelUpdate(items[i], locationIds[i], level);
      }
    }
    Map<String, @Nullable Object> group = Json.object();
    group.put("reason", reason);
    group.put("referenceDocumentUri", referenceDocumentUri);
    group.put("changes", changes);
    return inventorySetPayload(group, List.of());
  }

  private static Map<String, @Nullable Object> inventorySetPayload(
      @Nullable Map<String, @Nullable Object> group, List<Object> userErrors) {
    return Json.object(
        "inventorySetQuantities",
        Json.object("inventoryAdjustmentGroup", group, "userErrors", userErrors));
  }

  private static Map<String, @Nullable Object> itemError(
      String code, String index, String field, String message) {
    return userError(code, List.of("input", "quantities", index, field), message);
  }

  private static Map<String, @Nullable Object> userError(
      String code, List<String> field, String message) {
    Map<String, @Nullable Object> error = Json.object();
    error.put("code", code);
    error.put("field", field);
    error.put("message", message);
    return error;
  }

  private static boolean validUri(String value) {
    try {
      URI uri = new URI(value);
      return uri.getScheme() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Builds a connection of at most {@code first} nodes from the filtered source. */
  private static <T> Map<String, @Nullable Object> page(
      Collection<T> source,
      Predicate<T> filter,
      int first,
      Function<T, String> cursor,
      Function<T, Map<String, @Nullable Object>> node) {
    List<Object> nodes = new ArrayList<>(Math.min(first, 64));
    @Nullable T last = null;
    boolean hasNextPage = false;
    for (T element : source) {
      if (!filter.test(element)) {
        continue;
      }
      if (nodes.size() == first) {
        hasNextPage = true;
        break;
      }
      nodes.add(node.apply(element));
      last = element;
    }
    return Json.object(
        "nodes",
        nodes,
        "pageInfo",
        Json.object(
            "hasNextPage", hasNextPage, "endCursor", last == null ? null : cursor.apply(last)));
  }

  private static int returned(Map<String, @Nullable Object> connection) {
    return connection.get("nodes") instanceof List<?> nodes ? nodes.size() : 0;
  }

  private static int first(Map<String, @Nullable Object> variables) throws GraphQlError {
    Integer first = intValue(variables.get("first"));
    if (first == null) {
      throw invalidVariable("first", "Int!", variables.get("first"));
    }
    if (first < 1 || first > MAX_PAGE_SIZE) {
      throw GraphQlError.badRequest(
          "first must be between 1 and " + MAX_PAGE_SIZE + ", got " + first);
    }
    return first;
  }

  private static @Nullable String optionalString(
      Map<String, @Nullable Object> variables, String name) throws GraphQlError {
    Object value = variables.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw invalidVariable(name, "String", value);
  }

  /** A JSON number that is a 32-bit integer, as GraphQL's {@code Int}; else {@code null}. */
  private static @Nullable Integer intValue(@Nullable Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    return null;
  }

  private static GraphQlError invalidVariable(String name, String type, @Nullable Object value) {
    return GraphQlError.badRequest(
        "Variable $" + name + " of type " + type + " was provided invalid value: " + value);
  }

  private static GraphQlError notAccepted(String type, String field, String version) {
    return GraphQlError.badRequest(
        type + " doesn't accept argument '" + field + "' in API version " + version);
  }

  private static GraphQlError tooManyInputs(int size) {
    return new GraphQlError(
        GraphQlError.MAX_INPUT_SIZE_EXCEEDED,
        "The input array size of "
            + size
            + " is greater than the maximum allowed of "
            + MAX_INPUT_SIZE
            + ".");
  }

  private static Map<String, @Nullable Object> error(String message, String code) {
    return Json.object("message", message, "extensions", Json.object("code", code));
  }

  private String errorBody(Map<String, @Nullable Object> error, int requestedCost) {
    return Json.write(
        Json.object("errors", List.of(error), "extensions", costExtensions(requestedCost, null)));
  }

  private Map<String, @Nullable Object> costExtensions(
      int requestedCost, @Nullable Integer actualCost) {
    Map<String, @Nullable Object> throttle = Json.object();
    throttle.put("maximumAvailable", bucket.maximumAvailable());
    throttle.put("currentlyAvailable", bucket.currentlyAvailable());
    throttle.put("restoreRate", bucket.restoreRate());
    Map<String, @Nullable Object> cost = Json.object();
    cost.put("requestedQueryCost", requestedCost);
    cost.put("actualQueryCost", actualCost);
    cost.put("throttleStatus", throttle);
    return Json.object("cost", cost);
  }
}
