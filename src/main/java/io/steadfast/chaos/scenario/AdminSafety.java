package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Checkouts;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every destructive admin action on products with orders, shipments and carts behind them: without confirmation, as
 * a dry run, and confirmed where the rules refuse it, each changes nothing and writes no audit; confirmed where
 * allowed, it changes the product and its audit row names the actor, the action, and the product before and after.
 */
public final class AdminSafety implements Scenario {
    @Override
    public String name() {
        return "admin-safety";
    }

    @Override
    public String invariant() {
        return "destructive product actions without confirmation, as dry runs or refused change nothing; confirmed "
                + "ones change the product and write their audit row";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Api api = run.api();
        String prefix = "admin-" + run.account(false).phoneNumberId();
        Checkouts shop = new Checkouts(api, prefix);
        long open = shop.product("OPEN", "5.00", 10);
        long shipping = shop.product("SHIPPING", "5.00", 10);
        long carted = shop.product("CARTED", "5.00", 10);
        long idle = shop.product("IDLE", "5.00", 10);
        shop.order(prefix + "-open", Checkouts.orderOf(null, open, 1));
        shop.order(prefix + "-ship", Checkouts.orderOf(null, shipping, 1));
        api.post("/v1/store/orders/" + shop.placed().get(prefix + "-ship") + "/ship", Map.of());
        api.post("/v1/store/carts", Map.of("items", List.of(Map.of("product_id", carted, "quantity", 2)),
                "ttl_seconds", 2));
        Verdict verdict = new Verdict(0, 0, 0, 0, 0, 0, Map.of(), List.of());
        long checked = 0;

        for (long product : List.of(open, shipping, carted, idle)) {
            for (String[] action : List.of(new String[] {"POST", "/disable"}, new String[] {"POST", "/archive"},
                    new String[] {"DELETE", ""})) {
                String path = "/v1/store/products/" + product + action[1];
                verdict = unchanged(api, product, verdict, path, () -> api.exchange(action[0], path, null),
                        409, "confirmation_required");
                verdict = unchanged(api, product, verdict, path + "?dry_run=true",
                        () -> api.exchange(action[0], path + "?dry_run=true", null), 200, null);
                checked += 2;
            }
        }
        verdict = unchanged(api, open, verdict, "archive of an active product",
                () -> api.exchange("POST", "/v1/store/products/" + open + "/archive?confirm=true", null), 409,
                "product_in_use");
        verdict = unchanged(api, open, verdict, "delete with an open order",
                () -> api.exchange("DELETE", "/v1/store/products/" + open + "?confirm=true", null), 409, "product_in_use");
        verdict = unchanged(api, shipping, verdict, "delete with a pending shipment",
                () -> api.exchange("DELETE", "/v1/store/products/" + shipping + "?confirm=true", null), 409,
                "product_in_use");
        String bulk = Json.write(Map.of("action", "delete", "ids", List.of(idle, open)));
        verdict = unchanged(api, idle, verdict, "bulk delete without confirmation",
                () -> api.exchange("POST", "/v1/store/products/bulk", bulk), 409, "confirmation_required");
        verdict = unchanged(api, idle, verdict, "bulk delete refused for one of its products",
                () -> api.exchange("POST", "/v1/store/products/bulk?confirm=true", bulk), 409, "bulk_refused");
        checked += 5;

        verdict = audited(api, carted, verdict, "POST", "/disable?confirm=true", "disable", "status", "disabled");
        verdict = audited(api, idle, verdict, "POST", "/disable?confirm=true", "disable", "status", "disabled");
        verdict = audited(api, idle, verdict, "POST", "/archive?confirm=true", "archive", "status", "archived");
        verdict = audited(api, idle, verdict, "DELETE", "?confirm=true", "delete", "deleted", "true");
        verdict = audited(api, idle, verdict, "POST", "/restore", "restore", "deleted", "false");
        checked += 5;
        run.note(checked + " admin actions on 4 products with open orders, a shipment and a cart behind them");
        return new Verdict(checked, checked, checked, 0, 0, 0, verdict.violations(), verdict.examples());
    }

    interface Call {
        HttpResponse<String> send();
    }

    /** The call answers {@code status} (and {@code error}) and changes neither the product nor its audit. */
    private static Verdict unchanged(Api api, long product, Verdict verdict, String what, Call call, int status,
                                     String error) {
        String before = state(api, product);
        long audit = audit(api, product).size();
        HttpResponse<String> r = call.send();
        JsonNode body = Json.parse(r.body());
        if (r.statusCode() != status || (error != null && !error.equals(body.path("error").asText()))) {
            verdict = verdict.with("wrong answer", what + " answered " + r.statusCode() + " " + r.body());
        }
        if (status == 409 && error.equals("confirmation_required") && !body.path("impact").has("open_orders")) {
            verdict = verdict.with("no impact", what + " answered without its impact: " + r.body());
        }
        if (!state(api, product).equals(before)) {
            verdict = verdict.with("changed without confirmation", what + " changed product " + product);
        }
        if (audit(api, product).size() != audit) {
            verdict = verdict.with("audit of nothing", what + " wrote an audit row for product " + product);
        }
        return verdict;
    }

    /** The confirmed action changes the product, and its audit row says who did what, before and after. */
    private static Verdict audited(Api api, long product, Verdict verdict, String method, String suffix, String action,
                                   String field, String after) {
        String path = "/v1/store/products/" + product + suffix;
        HttpResponse<String> r = api.exchange(method, path, null);
        if (r.statusCode() != 200 || !Json.parse(r.body()).path(field).asText().equals(after)) {
            return verdict.with("confirmed action not done", method + " " + path + " answered " + r.statusCode() + " "
                    + r.body());
        }
        List<JsonNode> rows = audit(api, product);
        JsonNode last = rows.isEmpty() ? null : rows.getLast();
        if (last == null || !last.path("action").asText().equals(action) || last.path("actor").asText().isEmpty()
                || !last.path("after").path(field).asText().equals(after) || last.path("before").isMissingNode()
                || last.path("at").asText().isEmpty()) {
            return verdict.with("no audit", method + " " + path + " has no audit row of its " + action + ": " + last);
        }
        return verdict;
    }

    /** What an admin action would change (not what an expiring cart does). */
    private static String state(Api api, long product) {
        JsonNode p = api.get("/v1/store/products/" + product);
        return p.path("status").asText() + "/" + p.path("deleted").asBoolean() + "/" + p.path("on_hand").asLong() + "/"
                + p.path("price").asText();
    }

    private static List<JsonNode> audit(Api api, long product) {
        return api.all("/v1/audit", Map.of("entity", "product", "id", Long.toString(product)));
    }
}
