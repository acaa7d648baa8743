package io.stocksync.amazon.internal;

import java.util.Map;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.PATCH;
import retrofit2.http.POST;
import retrofit2.http.PUT;
import retrofit2.http.Path;
import retrofit2.http.QueryMap;
import retrofit2.http.Url;

/**
 * The Selling Partner API operations the connector uses, with the paths of Amazon's models.
 * Bodies are raw so the caller reads status codes, headers and the {@code errors} body itself.
 */
public interface SpApi {
  /**
   * searchListingsItems (Listings Items 2021-08-01).
   *
   * @param sellerId the seller
   * @param query the query parameters
   * @return the call
   */
  @GET("listings/2021-08-01/items/{sellerId}")
  Call<ResponseBody> searchListingsItems(@Path("sellerId") String sellerId,
      @QueryMap Map<String, String> query);

  /**
   * getListingsItem.
   *
   * @param sellerId the seller
   * @param sku the SKU (path-encoded by Retrofit)
   * @param query the query parameters
   * @return the call
   */
  @GET("listings/2021-08-01/items/{sellerId}/{sku}")
  Call<ResponseBody> getListingsItem(@Path("sellerId") String sellerId, @Path("sku") String sku,
      @QueryMap Map<String, String> query);

  /**
   * patchListingsItem.
   *
   * @param sellerId the seller
   * @param sku the SKU
   * @param query the query parameters
   * @param body a ListingsItemPatchRequest
   * @return the call
   */
  @PATCH("listings/2021-08-01/items/{sellerId}/{sku}")
  Call<ResponseBody> patchListingsItem(@Path("sellerId") String sellerId, @Path("sku") String sku,
      @QueryMap Map<String, String> query, @Body RequestBody body);

  /**
   * createFeedDocument (Feeds 2021-06-30).
   *
   * @param body a CreateFeedDocumentSpecification
   * @return the call
   */
  @POST("feeds/2021-06-30/documents")
  Call<ResponseBody> createFeedDocument(@Body RequestBody body);

  /**
   * createFeed.
   *
   * @param body a CreateFeedSpecification
   * @return the call
   */
  @POST("feeds/2021-06-30/feeds")
  Call<ResponseBody> createFeed(@Body RequestBody body);

  /**
   * getFeed.
   *
   * @param feedId the feed
   * @return the call
   */
  @GET("feeds/2021-06-30/feeds/{feedId}")
  Call<ResponseBody> getFeed(@Path("feedId") String feedId);

  /**
   * getFeedDocument.
   *
   * @param feedDocumentId the document
   * @return the call
   */
  @GET("feeds/2021-06-30/documents/{feedDocumentId}")
  Call<ResponseBody> getFeedDocument(@Path("feedDocumentId") String feedDocumentId);

  /**
   * searchOrders (Orders 2026-01-01).
   *
   * @param query the query parameters
   * @return the call
   */
  @GET("orders/2026-01-01/orders")
  Call<ResponseBody> searchOrders(@QueryMap Map<String, String> query);

  /**
   * getOrder (Orders 2026-01-01): one order, its items always included.
   *
   * @param orderId the Amazon order id (path-encoded by Retrofit)
   * @param query the query parameters ({@code includedData})
   * @return the call
   */
  @GET("orders/2026-01-01/orders/{orderId}")
  Call<ResponseBody> getOrder(@Path("orderId") String orderId,
      @QueryMap Map<String, String> query);

  /**
   * getInventorySummaries (FBA Inventory v1).
   *
   * @param query the query parameters
   * @return the call
   */
  @GET("fba/inventory/v1/summaries")
  Call<ResponseBody> getInventorySummaries(@QueryMap Map<String, String> query);

  /**
   * Uploads a feed document to the pre-signed URL createFeedDocument returned. Sent through a
   * client without the access token: the URL is not an SP-API endpoint.
   *
   * @param url the pre-signed URL
   * @param body the document, with the content type named at creation
   * @return the call
   */
  @PUT
  Call<ResponseBody> upload(@Url String url, @Body RequestBody body);

  /**
   * Downloads a document (a processing report) from its pre-signed URL.
   *
   * @param url the URL getFeedDocument returned
   * @return the call
   */
  @GET
  Call<ResponseBody> download(@Url String url);
}
