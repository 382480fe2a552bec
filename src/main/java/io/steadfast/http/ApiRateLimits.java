package io.steadfast.http;

import io.javalin.http.Context;
import io.steadfast.db.DatabaseUnavailableException;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.ratelimit.RateLimit;
import io.steadfast.ratelimit.RateLimiter;
import io.steadfast.ratelimit.RateLimiter.Decision;
import io.steadfast.tenant.Caller;

/**
 * The per-credential rate limit of {@code /v1}, in the headers of the IETF draft "RateLimit header fields for HTTP":
 * every answer under the limit carries {@code RateLimit} and {@code RateLimit-Policy}; over it, {@code 429
 * rate_limited} with {@code Retry-After} too. The operator token is not limited: it is the deployment's own.
 */
final class ApiRateLimits {
    static final String POLICY = "\"credential\"";
    static final RateLimit SIGN_IN = new RateLimit(10, java.time.Duration.ofMinutes(1));

    private final RateLimiter limiter;

    ApiRateLimits(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** The before-filter of /v1, after {@link Authentication#check}. */
    void check(Context ctx) {
        if (Authentication.OPEN_PATHS.contains(ctx.path())) {
            return;
        }
        Caller caller = Authentication.caller(ctx);
        if (caller.isOperator()) {
            return;
        }
        retryingOnce(() -> limiter.take(caller.businessId(), caller.credential())).ifPresent(d -> answer(ctx, d,
                "this credential may make " + d.limit() + " requests (STEADFAST_API_RATE_LIMIT, or the business's own limit)"));
    }

    /**
     * Sign-in attempts for one email, whoever makes them and whether the email exists: guessing a password, or
     * making the server hash for nothing, is slow.
     */
    void signIn(Context ctx, String email) {
        answer(ctx, retryingOnce(() -> limiter.take("sign-in:" + email.trim().toLowerCase(java.util.Locale.ROOT), SIGN_IN)),
                "an email may be signed in with " + SIGN_IN + " times");
    }

    /**
     * A bucket call that failed is made once more (the pool may have handed out a connection the database had
     * dropped); a second failure means the database is away: 503, as for any request then.
     */
    private static <T> T retryingOnce(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException first) {
            try {
                return call.get();
            } catch (RuntimeException second) {
                second.addSuppressed(first);
                throw new DatabaseUnavailableException("the rate limiter cannot reach the database: " + second.getMessage(),
                        second);
            }
        }
    }

    private static void answer(Context ctx, Decision d, String limitText) {
        ctx.header("RateLimit-Policy", POLICY + ";q=" + d.limit().requests() + ";w=" + d.limit().window().toSeconds());
        ctx.header("RateLimit", POLICY + ";r=" + d.remaining() + ";t=" + d.resetSeconds());
        if (!d.allowed()) {
            ctx.header("Retry-After", String.valueOf(d.retryAfterSeconds()));
            throw new InvalidRequestException("rate_limited", 429, limitText + "; try again in " + d.retryAfterSeconds()
                    + " s");
        }
    }
}
