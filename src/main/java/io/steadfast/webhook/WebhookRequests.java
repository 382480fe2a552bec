package io.steadfast.webhook;

import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** What every provider's webhook endpoint checks before it looks at the signature: size and content type. */
public final class WebhookRequests {
    private WebhookRequests() {
    }

    /** The raw body of a JSON webhook: 413 over the limit, 415 when it is not JSON. */
    public static byte[] jsonBody(Context ctx, int maxBodyBytes) {
        return body(ctx, maxBodyBytes, "application/json");
    }

    /** The raw body of a form webhook (Twilio's): 413 over the limit, 415 when it is not a form. */
    public static byte[] formBody(Context ctx, int maxBodyBytes) {
        return body(ctx, maxBodyBytes, "application/x-www-form-urlencoded");
    }

    private static byte[] body(Context ctx, int maxBodyBytes, String type) {
        check(ctx.contentLength(), ctx.contentType(), maxBodyBytes, type);
        return ctx.bodyAsBytes();
    }

    /** 413 when the declared length is over the limit, 415 when the content type is not {@code type}. */
    public static void check(long contentLength, String contentType, int maxBodyBytes, String type) {
        if (contentLength > maxBodyBytes) {
            throw new InvalidRequestException("payload_too_large", 413, "the body is " + contentLength
                    + " bytes, over the limit of " + maxBodyBytes + " bytes (STEADFAST_MAX_BODY_BYTES); nothing was stored");
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(type)) {
            throw new InvalidRequestException("unsupported_media_type", 415, "Content-Type must be "
                    + type + ", got " + (contentType == null ? "none" : "'" + contentType + "'"));
        }
    }

    /**
     * The headers the inbox keeps of a request, with lower-case names: only those named in {@code keep} (signature,
     * provider ids, topic, content type), never cookies, credentials or whatever a proxy added.
     */
    public static Map<String, String> headers(Context ctx, Set<String> keep) {
        return headers(ctx::header, keep);
    }

    /** The same, from any request whose {@code header} looks a header up by name, ignoring case. */
    public static Map<String, String> headers(Function<String, String> header, Set<String> keep) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : keep) {
            String value = header.apply(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    /** Lower-case header names, for {@link #headers(Context, Set)}; content type is always kept. */
    public static Set<String> keeping(String... names) {
        Set<String> keep = new java.util.HashSet<>();
        keep.add("content-type");
        for (String name : names) {
            keep.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(keep);
    }
}
