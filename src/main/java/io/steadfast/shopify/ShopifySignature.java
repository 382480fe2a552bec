package io.steadfast.shopify;

import io.steadfast.error.InvalidRequestException;
import io.steadfast.webhook.Hmac;
import java.security.MessageDigest;
import java.util.Base64;

/** Shopify's {@code X-Shopify-Hmac-Sha256}: the base64 HMAC-SHA256 of the raw body with the app's secret. */
public final class ShopifySignature {
    private final Hmac hmac;

    public ShopifySignature(String secret) {
        this.hmac = Hmac.sha256(secret);
    }

    public String sign(byte[] body) {
        return Base64.getEncoder().encodeToString(hmac.digest(body));
    }

    /** Throws a 401 unless {@code header} is the HMAC of exactly these bytes; compares in constant time. */
    public void verify(byte[] body, String header) {
        if (header == null || header.isBlank()) {
            throw unauthorized("the " + Shopify.HMAC_HEADER + " header is missing; every webhook must be signed with "
                    + "the app's secret");
        }
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw unauthorized(Shopify.HMAC_HEADER + " must be base64 (44 characters for HMAC-SHA256)");
        }
        if (!MessageDigest.isEqual(claimed, hmac.digest(body))) {
            throw unauthorized(Shopify.HMAC_HEADER + " does not match the body: check that STEADFAST_SHOPIFY_SECRET "
                    + "is the app's client secret and that the exact bytes are signed");
        }
    }

    private static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("invalid_signature", 401, message);
    }
}
