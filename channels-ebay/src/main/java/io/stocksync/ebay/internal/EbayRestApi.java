package io.stocksync.ebay.internal;

import java.util.Map;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.POST;
import retrofit2.http.Path;
import retrofit2.http.Query;
import retrofit2.http.Url;

/**
 * The eBay REST operations the connector uses, as named in eBay's OpenAPI specs (Sell Inventory
 * 1.18.0, Sell Fulfillment 1.20.7) and the Notification API reference. Status codes and bodies are
 * read by the caller, so every method answers the raw body.
 */
public interface EbayRestApi {
  /**
   * getInventoryItems: {@code GET /sell/inventory/v1/inventory_item}, or the {@code next} href of
   * an earlier page.
   *
   * @param url a relative URL with {@code limit} and page-index {@code offset}
   * @return the call
   */
  @GET
  Call<ResponseBody> getInventoryItems(@Url String url);

  /**
   * getOffers: {@code GET /sell/inventory/v1/offer?sku=}.
   *
   * @param sku the SKU (eBay requires it)
   * @param marketplaceId the marketplace
   * @return the call
   */
  @GET("sell/inventory/v1/offer")
  Call<ResponseBody> getOffers(@Query("sku") String sku,
      @Query("marketplace_id") String marketplaceId);

  /**
   * bulkGetInventoryItem: {@code POST /sell/inventory/v1/bulk_get_inventory_item}, up to 25 SKUs.
   *
   * @param body {@code {"requests": [{"sku"}]}}
   * @return the call
   */
  @POST("sell/inventory/v1/bulk_get_inventory_item")
  Call<ResponseBody> bulkGetInventoryItem(@Body Map<String, Object> body);

  /**
   * bulkUpdatePriceQuantity: {@code POST /sell/inventory/v1/bulk_update_price_quantity}.
   *
   * @param contentLanguage e.g. {@code en-US}
   * @param body {@code {"requests": [PriceQuantity]}}, at most 25
   * @return the call
   */
  @POST("sell/inventory/v1/bulk_update_price_quantity")
  Call<ResponseBody> bulkUpdatePriceQuantity(@Header("Content-Language") String contentLanguage,
      @Body Map<String, Object> body);

  /**
   * getOrders: {@code GET /sell/fulfillment/v1/order}.
   *
   * @param filter the filter, already percent-encoded as the spec requires ({@code [ ] { | }})
   * @param limit 1 to 200
   * @param offset records to skip
   * @return the call
   */
  @GET("sell/fulfillment/v1/order")
  Call<ResponseBody> getOrders(@Query(value = "filter", encoded = true) String filter,
      @Query("limit") int limit, @Query("offset") int offset);

  /**
   * getOrder: {@code GET /sell/fulfillment/v1/order/{orderId}}.
   *
   * @param orderId the order id (path-encoded by Retrofit)
   * @return the call
   */
  @GET("sell/fulfillment/v1/order/{orderId}")
  Call<ResponseBody> getOrder(@Path("orderId") String orderId);

  /**
   * getPublicKey: {@code GET /commerce/notification/v1/public_key/{public_key_id}}.
   *
   * @param publicKeyId the {@code kid} of an {@code X-EBAY-SIGNATURE} header
   * @return the call
   */
  @GET("commerce/notification/v1/public_key/{public_key_id}")
  Call<ResponseBody> getPublicKey(@Path("public_key_id") String publicKeyId);
}
