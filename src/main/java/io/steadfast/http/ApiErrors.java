package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.steadfast.db.DatabaseErrors;
import io.steadfast.db.DatabaseUnavailableException;
import io.steadfast.error.SteadfastException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as {@code {"error": code, "message": text}} with a status that says whose fault it was. */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    static void register(RoutesConfig routes, int maxBodyBytes) {
        routes.exception(SteadfastException.class, (e, ctx) -> {
            if (e instanceof DatabaseUnavailableException) {
                ctx.header("Retry-After", String.valueOf(DatabaseUnavailableException.RETRY_AFTER_SECONDS));
            }
            Map<String, Object> body = body(e.code(), e.getMessage());
            body.putAll(e.details());
            ctx.status(e.httpStatus()).json(body);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            switch (e.getStatus()) {
                case 404 -> write(ctx, 404, "not_found", e.getMessage() + "; see the README for the endpoints");
                case 405 -> write(ctx, 405, "method_not_allowed", "this path does not take " + ctx.method().name());
                case 413 -> write(ctx, 413, "payload_too_large", "the body is larger than the limit of "
                        + maxBodyBytes + " bytes (STEADFAST_MAX_BODY_BYTES); nothing was stored");
                default -> write(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage());
            }
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (DatabaseErrors.isUnavailable(e)) {
                ctx.header("Retry-After", String.valueOf(DatabaseUnavailableException.RETRY_AFTER_SECONDS));
                write(ctx, 503, "database_unavailable", "the database is unavailable; try again shortly");
                return;
            }
            log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal_error", "an unexpected error occurred (" + e.getClass().getSimpleName()
                    + "); the server log has the details");
        });
    }

    static void write(Context ctx, int status, String code, String message) {
        ctx.status(status).json(body(code, message));
    }

    static Map<String, Object> body(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }
}
