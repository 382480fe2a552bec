package io.steadfast.sms;

import io.steadfast.error.InvalidRequestException;
import io.steadfast.webhook.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Twilio's {@code X-Twilio-Signature}: the base64 HMAC-SHA1, with the account's auth token, of the full URL Twilio
 * called followed by each POST parameter's name and value, sorted by name.
 */
public final class TwilioSignature {
    private final Hmac hmac;

    public TwilioSignature(String authToken) {
        this.hmac = Hmac.sha1(authToken);
    }

    /** The header value Twilio would send for this URL and these parameters. */
    public String sign(String url, List<Map.Entry<String, String>> params) {
        StringBuilder signed = new StringBuilder(url);
        params.stream().sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .forEach(p -> signed.append(p.getKey()).append(p.getValue()));
        return Base64.getEncoder().encodeToString(hmac.digest(signed.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Throws a 401 unless {@code header} is Twilio's signature of this URL and these parameters. */
    public void verify(String url, List<Map.Entry<String, String>> params, String header) {
        if (header == null || header.isBlank()) {
            throw unauthorized("the " + Sms.SIGNATURE_HEADER + " header is missing; Twilio signs every request with "
                    + "the account's auth token");
        }
        if (!MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), sign(url, params).getBytes(StandardCharsets.UTF_8))) {
            throw unauthorized(Sms.SIGNATURE_HEADER + " does not match: check STEADFAST_SMS_AUTH_TOKEN, and that "
                    + "STEADFAST_PUBLIC_URL is the base URL Twilio calls (it signs the URL it called: " + url + ")");
        }
    }

    private static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("invalid_signature", 401, message);
    }
}
