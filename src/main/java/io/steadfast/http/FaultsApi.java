package io.steadfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.fault.Fault;
import io.steadfast.fault.FaultSwitchboard;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Switches faults on for a while across every process of the deployment (the chaos suite's remote control). Only
 * a node started with STEADFAST_FAULT_INJECTION=true offers it; elsewhere it answers 404 and says why.
 */
final class FaultsApi {
    static final int MAX_SECONDS = 3_600;

    private final Optional<FaultSwitchboard> switchboard;

    FaultsApi(Optional<FaultSwitchboard> switchboard) {
        this.switchboard = switchboard;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/faults", this::list);
        routes.post("/v1/faults", this::switchOn);
        routes.delete("/v1/faults", ctx -> {
            board(ctx).clear();
            list(ctx);
        });
    }

    private void list(Context ctx) {
        ctx.json(Map.of("items", board(ctx).active().stream().map(a -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("fault", a.fault().id());
            json.put("value", a.value());
            json.put("seconds_left", a.secondsLeft());
            return json;
        }).toList()));
    }

    private void switchOn(Context ctx) {
        FaultSwitchboard board = board(ctx);
        String usage = "send {\"fault\": \"<name>\", \"seconds\": <1-" + MAX_SECONDS + ">, \"value\": <n, optional>}";
        JsonNode body = JsonBody.of(ctx, usage).node();
        if (!body.path("fault").isTextual() || !body.path("seconds").canConvertToLong()) {
            throw InvalidRequestException.badRequest(usage);
        }
        Fault fault = Fault.parse(body.get("fault").asText());
        long seconds = body.get("seconds").asLong();
        long value = body.path("value").asLong(0);
        if (seconds < 1 || seconds > MAX_SECONDS || value < 0) {
            throw InvalidRequestException.badRequest(usage + "; seconds was " + seconds + ", value " + value);
        }
        board.switchOn(fault, value, Duration.ofSeconds(seconds));
        list(ctx);
    }

    private FaultSwitchboard board(Context ctx) {
        Authentication.operator(ctx);
        return switchboard.orElseThrow(() -> InvalidRequestException.notFound(
                "fault injection is off on this node; start it with STEADFAST_FAULT_INJECTION=true "
                        + "(for test deployments only)"));
    }
}
