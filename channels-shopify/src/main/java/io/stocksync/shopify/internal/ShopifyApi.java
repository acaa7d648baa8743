package io.stocksync.shopify.internal;

import java.util.Map;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.POST;
import retrofit2.http.Path;

/** The one endpoint of the Admin GraphQL API. Status codes are read by {@link GraphQlClient}. */
public interface ShopifyApi {
  /**
   * Posts a GraphQL request.
   *
   * @param version the API version, e.g. {@code 2026-10}
   * @param body {@code {"query", "variables", "operationName"}}
   * @return the call
   */
  @POST("admin/api/{version}/graphql.json")
  Call<ResponseBody> graphql(@Path("version") String version, @Body Map<String, Object> body);
}
