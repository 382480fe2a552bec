package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;

/** A test's hands on the store API: active products, carts, orders and wallets, as the operator. */
record Shop(Http http) {
    static final String OPERATOR = TestNodes.API_TOKEN;

    /** An active product with {@code stock} units at {@code price} EUR; its id. */
    long product(String sku, String price, long stock) {
        Http.Response made = http.api("POST", "/v1/store/products", "{\"sku\": \"" + sku + "\", \"name\": \"" + sku
                + "\", \"price\": \"" + price + "\", \"currency\": \"EUR\", \"stock\": " + stock + "}", OPERATOR);
        if (made.status() != 201) {
            throw new AssertionError("product " + sku + ": " + made.body());
        }
        long id = made.json().path("id").asLong();
        http.api("POST", "/v1/store/products/" + id + "/activate", null, OPERATOR);
        return id;
    }

    JsonNode productOf(long id) {
        return http.api("GET", "/v1/store/products/" + id, null, OPERATOR).json();
    }

    Http.Response cart(String json) {
        return http.api("POST", "/v1/store/carts", json, OPERATOR);
    }

    Http.Response order(String key, String json) {
        return http.post("/v1/store/orders", "application/json", json.getBytes(), "Authorization", "Bearer " + OPERATOR,
                "Idempotency-Key", key);
    }

    JsonNode orderOf(long id) {
        return http.api("GET", "/v1/store/orders/" + id, null, OPERATOR).json();
    }

    Http.Response move(long orderId, String action) {
        return http.api("POST", "/v1/store/orders/" + orderId + "/" + action, null, OPERATOR);
    }

    /** A EUR wallet holding {@code amount}; its id. */
    long wallet(String customer, String amount) {
        long id = http.api("POST", "/v1/wallets", "{\"customer_ref\": \"" + customer + "\", \"currency\": \"EUR\"}",
                OPERATOR).json().path("id").asLong();
        http.post("/v1/wallets/" + id + "/credit", "application/json", ("{\"amount\": \"" + amount + "\"}").getBytes(),
                "Authorization", "Bearer " + OPERATOR, "Idempotency-Key", "fund-" + customer);
        return id;
    }

    JsonNode walletOf(long id) {
        return http.api("GET", "/v1/wallets/" + id, null, OPERATOR).json();
    }

    static String items(long... productAndQuantity) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            json.append(i == 0 ? "" : ", ").append("{\"product_id\": ").append(productAndQuantity[i])
                    .append(", \"quantity\": ").append(productAndQuantity[i + 1]).append('}');
        }
        return json.append(']').toString();
    }
}
