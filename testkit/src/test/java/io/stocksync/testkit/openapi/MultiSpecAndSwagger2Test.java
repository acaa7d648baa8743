package io.stocksync.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocksync.testkit.SpecFiles;
import io.stocksync.testkit.openapi.OpenApiExchangeValidator.Exchange;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** eBay's two OpenAPI 3 documents side by side, and Amazon's Swagger 2.0 models. */
class MultiSpecAndSwagger2Test {
  private static final Headers JSON = Headers.of("Content-Type", "application/json");

  @Test
  void ebay_eachExchangeIsJudgedByTheDocumentWhosePathsMatchIt() {
    OpenApiExchangeValidator ebay =
        OpenApiExchangeValidator.builder()
            .spec(SpecFiles.require("ebay/sell_inventory_v1_oas3.json"))
            .spec(SpecFiles.require("ebay/sell_fulfillment_v1_oas3.json"))
            .build();
    Headers auth = Headers.of("Authorization", "Bearer v^1.1#token");

    Exchange orders =
        ebay.record(
            "GET",
            HttpUrl.get("http://localhost/sell/fulfillment/v1/order?limit=50&offset=0"),
            auth,
            null,
            "",
            200,
            JSON,
            "{\"href\":\"x\",\"limit\":50,\"offset\":0,\"orders\":[],\"total\":0}");
    Exchange items =
        ebay.record(
            "GET",
            HttpUrl.get("http://localhost/sell/inventory/v1/inventory_item?limit=100&offset=0"),
            auth,
            null,
            "",
            200,
            JSON,
            "{\"total\":\"zero\",\"size\":0,\"inventoryItems\":[]}");

    assertThat(orders.operation()).isEqualTo("getOrders");
    assertThat(orders.violations()).isEmpty();
    assertThat(items.operation()).isEqualTo("getInventoryItems");
    assertThat(items.violations())
        .singleElement()
        .satisfies(v -> assertThat(v.field()).isEqualTo("body /total"));
  }

  @Test
  void amazon_swagger2ModelsAreUnderstoodToo() {
    OpenApiExchangeValidator amazon =
        OpenApiExchangeValidator.forSpec(SpecFiles.require("amazon/listingsItems_2021-08-01.json"));
    Headers token = Headers.of("x-amz-access-token", "Atza|token");

    Exchange good =
        amazon.record(
            "GET",
            HttpUrl.get(
                "http://localhost/listings/2021-08-01/items/A1SELLER"
                    + "?marketplaceIds=ATVPDKIKX0DER&pageSize=20&includedData=summaries"),
            token,
            null,
            "",
            200,
            JSON,
            "{\"numberOfResults\":0,\"items\":[]}");
    Exchange bad =
        amazon.record(
            "GET",
            HttpUrl.get(
                "http://localhost/listings/2021-08-01/items/A1SELLER"
                    + "?marketplaceIds=ATVPDKIKX0DER&pageSize=50"),
            token,
            null,
            "",
            200,
            JSON,
            "{\"items\":[]}");

    assertThat(good.operation()).isEqualTo("searchListingsItems");
    assertThat(good.violations()).isEmpty();
    assertThat(bad.violations())
        .extracting(OpenApiExchangeValidator.Violation::field)
        .containsExactlyInAnyOrder("query parameter 'pageSize'", "body /");
  }
}
