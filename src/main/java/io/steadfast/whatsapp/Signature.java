package io.steadfast.whatsapp;

import io.steadfast.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Meta's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body with the app secret. */
public final class Signature {
    private static final String PREFIX = "sha256=";

    private final Mac prototype;

    public Signature(String appSecret) {
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Returns the header value a sender with the same secret would put on {@code body}. */
    public String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(body));
    }

    /** Throws a 401 unless {@code header} is the signature of exactly these bytes; compares in constant time. */
    public void verify(byte[] body, String header) {
        if (header == null || header.isBlank()) {
            throw unauthorized("the " + WhatsApp.SIGNATURE_HEADER + " header is missing; every webhook must be "
                    + "signed with the app secret");
        }
        if (!header.startsWith(PREFIX) || header.length() != PREFIX.length() + 64) {
            throw unauthorized(WhatsApp.SIGNATURE_HEADER + " must be 'sha256=' followed by 64 hex digits");
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            throw unauthorized(WhatsApp.SIGNATURE_HEADER + " must be 'sha256=' followed by 64 hex digits");
        }
        if (!MessageDigest.isEqual(claimed, mac(body))) {
            throw unauthorized(WhatsApp.SIGNATURE_HEADER + " does not match the body: check that the sender uses "
                    + "this server's app secret and signs the exact bytes it sends");
        }
    }

    private byte[] mac(byte[] body) {
        try {
            return ((Mac) prototype.clone()).doFinal(body); // a keyed copy is cheaper than a new instance
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
        }
    }

    private static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("invalid_signature", 401, message);
    }
}
