package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.steadfast.fault.Faults;

/** The chaos suite's webhook faults: a 500 before the commit, or after it. Registered only with fault injection on. */
final class FaultHooks {
    private FaultHooks() {
    }

    static void register(RoutesConfig routes, Faults faults) {
        routes.before("/webhooks/*", ctx -> {
            if (faults.failWebhook(Faults.Point.BEFORE_COMMIT)) {
                ApiErrors.write(ctx, 500, "injected_fault", "failure injected before commit; nothing was stored");
                ctx.skipRemainingHandlers();
            }
        });
        routes.after("/webhooks/*", ctx -> {
            if (ctx.statusCode() == 200 && ctx.method().name().equals("POST") && faults.failWebhook(Faults.Point.AFTER_COMMIT)) {
                ApiErrors.write(ctx, 500, "injected_fault", "failure injected after commit; the events are stored");
            }
        });
    }
}
