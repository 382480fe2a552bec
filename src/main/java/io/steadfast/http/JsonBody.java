package io.steadfast.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import java.io.IOException;
import java.util.Optional;

/** Reads a request's JSON object and its fields, refusing (400) what is not there or not of the right type. */
final class JsonBody {
    private final JsonNode body;

    private JsonBody(JsonNode body) {
        this.body = body;
    }

    static JsonBody of(Context ctx, String usage) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw InvalidRequestException.badRequest("the body is not valid JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + "); " + usage);
        }
        if (body == null || !body.isObject()) {
            throw InvalidRequestException.badRequest("the body must be a JSON object; " + usage);
        }
        return new JsonBody(body);
    }

    boolean has(String field) {
        return body.hasNonNull(field);
    }

    /** A string field that must be present and not blank. */
    String text(String field) {
        return optionalText(field).filter(v -> !v.isBlank()).orElseThrow(() -> InvalidRequestException.badRequest(
                field + " is required and must be a non-empty string"));
    }

    /** A string field that may be absent or null. */
    Optional<String> optionalText(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw InvalidRequestException.badRequest(field + " must be a string, got " + value.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(value.asText());
    }

    JsonNode node() {
        return body;
    }
}
