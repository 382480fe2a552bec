package io.steadfast.http;

import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The shape of every list response: {@code items}, the {@code limit} used, and {@code next_cursor}. */
final class Pages {
    private Pages() {
    }

    static int limit(Context ctx, int fallback, int max) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw InvalidRequestException.badRequest("limit must be a whole number from 1 to " + max + ", got '" + raw + "'");
    }

    /** Writes a page; the cursor of the last row is given out only when the page is full (more may follow). */
    static <T> void write(Context ctx, List<T> rows, int limit, Function<T, Object> view, Function<T, Cursor> cursor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", rows.stream().map(view).toList());
        body.put("limit", limit);
        body.put("next_cursor", rows.size() == limit ? cursor.apply(rows.getLast()).encode() : null);
        ctx.json(body);
    }
}
