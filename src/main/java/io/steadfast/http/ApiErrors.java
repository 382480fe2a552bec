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

    /** What a failure answers: its status, its body, and whether the client is told to retry after a pause. */
    record Answer(int status, Map<String, Object> body, boolean retryLater) {
    }

    static void register(RoutesConfig routes, int maxBodyBytes) {
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            switch (e.getStatus()) {
                case 404 -> write(ctx, 404, "not_found", e.getMessage() + "; see the README for the endpoints");
                case 405 -> write(ctx, 405, "method_not_allowed", "this path does not take " + ctx.method().name());
                case 413 -> write(ctx, 413, "payload_too_large", tooLarge(maxBodyBytes));
                default -> write(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage());
            }
        });
        routes.exception(Exception.class, (e, ctx) -> write(ctx, answer(e, ctx.method().name(), ctx.path())));
    }

    /** The answer to a failure of any request, whichever layer serves it; an unexpected one is logged. */
    static Answer answer(Throwable failure, String method, String path) {
        if (failure instanceof SteadfastException e) {
            Map<String, Object> body = body(e.code(), e.getMessage());
            body.putAll(e.details());
            return new Answer(e.httpStatus(), body, e instanceof DatabaseUnavailableException);
        }
        if (DatabaseErrors.isUnavailable(failure)) {
            return new Answer(503, body("database_unavailable", "the database is unavailable; try again shortly"), true);
        }
        log.error("Unexpected failure on {} {}", method, path, failure);
        return new Answer(500, body("internal_error", "an unexpected error occurred ("
                + failure.getClass().getSimpleName() + "); the server log has the details"), false);
    }

    private static void write(Context ctx, Answer answer) {
        if (answer.retryLater()) {
            ctx.header("Retry-After", String.valueOf(DatabaseUnavailableException.RETRY_AFTER_SECONDS));
        }
        ctx.status(answer.status()).json(answer.body());
    }

    /** The message of a 413 for a body that grew past the limit while it was read. */
    static String tooLarge(int maxBodyBytes) {
        return "the body is larger than the limit of " + maxBodyBytes
                + " bytes (STEADFAST_MAX_BODY_BYTES); nothing was stored";
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
