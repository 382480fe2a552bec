package io.steadfast.http;

import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Guards the API with {@code Authorization: Bearer <STEADFAST_API_TOKEN>}, compared in constant time. */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private final byte[] token;

    BearerAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw unauthorized("send 'Authorization: Bearer <token>' with the API token (STEADFAST_API_TOKEN, "
                    + "printed by steadfast serve when it generated it)");
        }
        byte[] presented = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token)) {
            throw unauthorized("the bearer token is not this server's API token (STEADFAST_API_TOKEN)");
        }
    }

    /** True with the right token, false with none; a wrong token is refused as in {@link #check(Context)}. */
    boolean presented(Context ctx) {
        if (ctx.header("Authorization") == null) {
            return false;
        }
        check(ctx);
        return true;
    }

    private static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("unauthorized", 401, message);
    }
}
