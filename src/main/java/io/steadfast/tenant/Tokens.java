package io.steadfast.tenant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.steadfast.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

/**
 * The access tokens users sign in for: JWTs signed with HMAC-SHA256 under the deployment's signing key
 * (STEADFAST_JWT_SECRET, or generated into the data directory), naming the user, its business and its role, and
 * expiring after the configured lifetime. Every node with the same key accepts them.
 */
public final class Tokens {
    static final String ISSUER = "steadfast";
    private static final String BUSINESS = "business_id";
    private static final String ROLE = "role";

    private final MACSigner signer;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Duration lifetime;
    private final Clock clock;

    public Tokens(String signingKey, Duration lifetime, Clock clock) {
        byte[] key = signingKey.getBytes(StandardCharsets.UTF_8);
        try {
            this.signer = new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT signing key must be at least 32 bytes", e);
        }
        this.lifetime = lifetime;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(key)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("sub", "exp", "iat", BUSINESS, ROLE)));
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(long userId, long businessId, Access access) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(String.valueOf(userId))
                .claim(BUSINESS, businessId)
                .claim(ROLE, access.sql())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /** The caller a token stands for; a token that is malformed, forged, expired or not ours is refused (401). */
    public Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            throw unauthorized("the access token is expired or incomplete (" + e.getMessage()
                    + "); sign in again with POST /v1/auth/token");
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw unauthorized("the access token is not one this deployment signed (" + e.getMessage() + ")");
        }
        try {
            return new Caller(claims.getLongClaim(BUSINESS), Access.parse(claims.getStringClaim(ROLE)),
                    "user:" + Long.parseLong(claims.getSubject()));
        } catch (ParseException | RuntimeException e) {
            throw unauthorized("the access token's claims are not ones this deployment writes");
        }
    }

    static InvalidRequestException unauthorized(String message) {
        return new InvalidRequestException("unauthorized", 401, message);
    }
}
