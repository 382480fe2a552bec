package io.steadfast.http;

import io.steadfast.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** An opaque position in a list ordered by a time and an id: where the next page starts. */
record Cursor(Instant at, long id) {

    String encode() {
        String plain = at.getEpochSecond() + "." + at.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Cursor> decode(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split("\\.");
            return Optional.of(new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    Long.parseLong(parts[2])));
        } catch (RuntimeException e) {
            throw InvalidRequestException.badRequest("cursor '" + raw + "' is not one this server gave out; "
                    + "pass the next_cursor of a previous page unchanged");
        }
    }
}
