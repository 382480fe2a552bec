package io.steadfast.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** At most {@code requests} per {@code window} for one credential, such as {@code 1000/h}. */
public record RateLimit(long requests, Duration window) {
    private static final Pattern FORMAT = Pattern.compile(
            "(\\d{1,9})\\s*/\\s*(\\d{1,5})?\\s*(s|sec|second|m|min|minute|h|hour|d|day)");

    /**
     * {@code 1000/h}, {@code 600/min}, {@code 10/s}, {@code 50000/day}, or a multiple of a unit: {@code 30/5s};
     * {@code off} is no limit (empty).
     */
    public static Optional<RateLimit> parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off")) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0 || "0".equals(m.group(2))) {
            throw new IllegalArgumentException("a rate limit is <requests>/<s|min|h|day>, such as 1000/h or 600/min, "
                    + "or off; got '" + value + "'");
        }
        Duration unit = switch (m.group(3)) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hour" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        long units = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
        return Optional.of(new RateLimit(Long.parseLong(m.group(1)), unit.multipliedBy(units)));
    }

    @Override
    public String toString() {
        long s = window.toSeconds();
        String unit = s == 1 ? "s" : s == 60 ? "min" : s == 3600 ? "h" : s == 86_400 ? "day" : s + "s";
        return requests + "/" + unit;
    }
}
