package io.stocksync.etsy.internal;

import java.util.List;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.Field;
import retrofit2.http.FormUrlEncoded;
import retrofit2.http.GET;
import retrofit2.http.PATCH;
import retrofit2.http.PUT;
import retrofit2.http.Path;
import retrofit2.http.Query;

/**
 * The Etsy Open API v3 operations the connector uses, named after their {@code operationId}s.
 * Bodies are read as raw JSON by {@link EtsyClient}, which maps status codes to exceptions.
 */
public interface EtsyApi {
  /**
   * getMe: the token's user and shop.
   *
   * @return the call
   */
  @GET("v3/application/users/me")
  Call<ResponseBody> getMe();

  /**
   * getShop.
   *
   * @param shopId the shop
   * @return the call
   */
  @GET("v3/application/shops/{shop_id}")
  Call<ResponseBody> getShop(@Path("shop_id") long shopId);

  /**
   * getListingsByShop: one page of a shop's listings in one state.
   *
   * @param shopId the shop
   * @param state the state
   * @param limit 1..100
   * @param offset 0..12,000
   * @param sortOn created or updated
   * @param sortOrder asc or desc
   * @return the call
   */
  @GET("v3/application/shops/{shop_id}/listings")
  Call<ResponseBody> getListingsByShop(@Path("shop_id") long shopId, @Query("state") String state,
      @Query("limit") int limit, @Query("offset") int offset, @Query("sort_on") String sortOn,
      @Query("sort_order") String sortOrder);

  /**
   * getListingsInventoryByListingIds: listings with their inventory, at most 100.
   *
   * @param listingIds the listings, all of which must exist
   * @return the call
   */
  @GET("v3/application/listings/batch/inventory")
  Call<ResponseBody> getListingsInventoryByListingIds(@Query("listing_ids") List<Long> listingIds);

  /**
   * getListingInventory.
   *
   * @param listingId the listing
   * @return the call
   */
  @GET("v3/application/listings/{listing_id}/inventory")
  Call<ResponseBody> getListingInventory(@Path("listing_id") long listingId);

  /**
   * updateListingInventory: replaces the whole inventory.
   *
   * @param listingId the listing
   * @param body the JSON document
   * @return the call
   */
  @PUT("v3/application/listings/{listing_id}/inventory")
  Call<ResponseBody> updateListingInventory(@Path("listing_id") long listingId,
      @Body RequestBody body);

  /**
   * updateListing with only {@code state}.
   *
   * @param shopId the shop
   * @param listingId the listing
   * @param state active or inactive
   * @return the call
   */
  @FormUrlEncoded
  @PATCH("v3/application/shops/{shop_id}/listings/{listing_id}")
  Call<ResponseBody> updateListingState(@Path("shop_id") long shopId,
      @Path("listing_id") long listingId, @Field("state") String state);

  /**
   * getShopReceipts changed since an instant, oldest change first.
   *
   * @param shopId the shop
   * @param minLastModified epoch seconds, at least 946684800
   * @param sortOn updated
   * @param sortOrder asc
   * @param limit 1..100
   * @param offset 0..12,000
   * @return the call
   */
  @GET("v3/application/shops/{shop_id}/receipts")
  Call<ResponseBody> getShopReceipts(@Path("shop_id") long shopId,
      @Query("min_last_modified") long minLastModified, @Query("sort_on") String sortOn,
      @Query("sort_order") String sortOrder, @Query("limit") int limit,
      @Query("offset") int offset);
}
