package io.steadfast.idempotency;

import io.steadfast.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request's {@code Idempotency-Key} and a hash of what it asked (method, path, body): a repeat with the same key
 * and the same request gets the first answer; the same key with another request is refused.
 */
public record IdempotencyKey(String key, byte[] requestHash) {
    public static final int MAX_LENGTH = 255;
    /** 1-255 printable ASCII characters, not starting with a space. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E][\\x20-\\x7E]{0," + (MAX_LENGTH - 1) + "}");

    /** The key of a request that may go without one: empty when there is none; a malformed one is a 400. */
    public static Optional<IdempotencyKey> optional(String header, String method, String path, byte[] body) {
        return header == null ? Optional.empty() : Optional.of(of(header, method, path, body));
    }

    /** The key of a request; a missing or malformed header is a 400 that says why the key matters. */
    public static IdempotencyKey of(String header, String method, String path, byte[] body) {
        if (header == null || !KEY.matcher(header).matches()) {
            throw new InvalidRequestException("idempotency_key_required", 400, "send an Idempotency-Key header (1-"
                    + MAX_LENGTH + " printable ASCII characters, a new one per operation, the same one when you retry): "
                    + "it is what keeps a retried request from taking effect twice");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return new IdempotencyKey(header, sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
