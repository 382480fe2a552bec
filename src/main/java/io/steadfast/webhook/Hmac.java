package io.steadfast.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An HMAC with one secret, safe to share between threads: SHA-256 (Meta, Shopify) or SHA-1 (Twilio). */
public final class Hmac {
    private final Mac prototype;
    private final String algorithm;

    private Hmac(String algorithm, String secret) {
        this.algorithm = algorithm;
        try {
            prototype = Mac.getInstance(algorithm);
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    public static Hmac sha256(String secret) {
        return new Hmac("HmacSHA256", secret);
    }

    public static Hmac sha1(String secret) {
        return new Hmac("HmacSHA1", secret);
    }

    public byte[] digest(byte[] body) {
        try {
            return ((Mac) prototype.clone()).doFinal(body); // a keyed copy is cheaper than a new instance
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(algorithm + " cannot be cloned", e);
        }
    }
}
