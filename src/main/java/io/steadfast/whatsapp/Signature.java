package io.steadfast.whatsapp;

import io.steadfast.error.InvalidRequestException;
import io.steadfast.webhook.Hmac;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Meta's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body with the app secret. */
public final class Signature {
    private static final String PREFIX = "sha256=";

    private final Hmac hmac;

    public Signature(String appSecret) {
        this.hmac = Hmac.sha256(appSecret);
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
        return hmac.digest(body);
    }

    private static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("invalid_signature", 401, message);
    }
}
