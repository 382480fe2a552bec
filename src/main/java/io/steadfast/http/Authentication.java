package io.steadfast.http;

import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.tenant.Access;
import io.steadfast.tenant.ApiKeys;
import io.steadfast.tenant.Caller;
import io.steadfast.tenant.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Who a {@code /v1} request comes from, from its {@code Authorization: Bearer} credential: the operator token
 * (STEADFAST_API_TOKEN, compared in constant time), a business's API key, or a user's access token (a JWT).
 * Every request acts for exactly the one business its credential belongs to.
 */
final class Authentication {
    private static final String PREFIX = "Bearer ";
    private static final String CALLER = "steadfast.caller";
    /** Paths under /v1 that take no credential: signing in is how a user gets one. */
    static final Set<String> OPEN_PATHS = Set.of("/v1/auth/token");

    private final byte[] operatorToken;
    private final long defaultBusinessId;
    private final ApiKeys keys;
    private final Tokens tokens;

    Authentication(String operatorToken, long defaultBusinessId, ApiKeys keys, Tokens tokens) {
        this.operatorToken = operatorToken.getBytes(StandardCharsets.UTF_8);
        this.defaultBusinessId = defaultBusinessId;
        this.keys = keys;
        this.tokens = tokens;
    }

    /** The before-filter of /v1: finds the caller or answers 401. */
    void check(Context ctx) {
        if (!OPEN_PATHS.contains(ctx.path())) {
            ctx.attribute(CALLER, authenticate(ctx.header("Authorization")));
        }
    }

    Caller authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw unauthorized("send 'Authorization: Bearer <credential>': the operator token (STEADFAST_API_TOKEN, "
                    + "printed by steadfast serve when it generated it), an API key, or an access token from "
                    + "POST /v1/auth/token");
        }
        String presented = header.substring(PREFIX.length()).trim();
        if (MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), operatorToken)) {
            return Caller.operator(defaultBusinessId);
        }
        if (ApiKeys.looksLikeKey(presented)) {
            return keys.authenticate(presented).orElseThrow(() -> unauthorized(
                    "this API key is revoked or unknown; an admin of the business can make a new one (POST /v1/api-keys)"));
        }
        if (presented.chars().filter(c -> c == '.').count() == 2) {
            return tokens.verify(presented);
        }
        throw unauthorized("the bearer credential is neither this server's operator token, an API key (sfk_...), "
                + "nor an access token");
    }

    /** True when the operator token was presented, false with no credential; any other credential is refused. */
    boolean operatorPresented(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return false;
        }
        if (!authenticate(header).isOperator()) {
            throw forbidden("this needs the operator token (STEADFAST_API_TOKEN)");
        }
        return true;
    }

    /** The caller the before-filter found. */
    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException(ctx.path() + " was reached without authentication");
        }
        return caller;
    }

    /** The caller, when it is an admin of its business; 403 otherwise. */
    static Caller admin(Context ctx) {
        Caller caller = caller(ctx);
        if (caller.access() != Access.ADMIN) {
            throw forbidden(ctx.method() + " " + ctx.path() + " needs the admin role; this credential has "
                    + caller.access().sql());
        }
        return caller;
    }

    /** The caller, when it holds the operator token; 403 otherwise. */
    static Caller operator(Context ctx) {
        Caller caller = caller(ctx);
        if (!caller.isOperator()) {
            throw forbidden(ctx.method() + " " + ctx.path() + " needs the operator token (STEADFAST_API_TOKEN)");
        }
        return caller;
    }

    private static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("unauthorized", 401, message);
    }

    private static InvalidRequestException forbidden(String message) {
        return new InvalidRequestException("forbidden", 403, message);
    }
}
