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
    /** The audience of a sync ticket: it opens the live feed, and nothing else accepts it. */
    static final String SYNC = "steadfast-sync";
    /** A browser cannot set a WebSocket's headers: it asks for a ticket this short-lived and puts it in the URL. */
    public static final Duration TICKET_LIFETIME = Duration.ofSeconds(60);
    private static final String BUSINESS = "business_id";
    private static final String ROLE = "role";

    private final MACSigner signer;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final DefaultJWTProcessor<SecurityContext> tickets;
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
        this.processor = processor(key, new DefaultJWTClaimsVerifier<>(null, new JWTClaimsSet.Builder().issuer(ISSUER)
                .build(), Set.of("sub", "exp", "iat", BUSINESS, ROLE), Set.of("aud")));
        this.tickets = processor(key, new DefaultJWTClaimsVerifier<>(SYNC, new JWTClaimsSet.Builder().issuer(ISSUER)
                .build(), Set.of("sub", "exp", "iat", BUSINESS, ROLE)));
    }

    private static DefaultJWTProcessor<SecurityContext> processor(byte[] key,
                                                                  DefaultJWTClaimsVerifier<SecurityContext> claims) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(key)));
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(long userId, long businessId, Access access) {
        return sign(new JWTClaimsSet.Builder().subject(String.valueOf(userId)), businessId, access, lifetime);
    }

    /** A ticket to open the live feed as {@code caller}, for {@link #TICKET_LIFETIME}. */
    public String ticket(Caller caller) {
        return sign(new JWTClaimsSet.Builder().subject(caller.credential()).audience(SYNC), caller.businessId(),
                caller.access(), TICKET_LIFETIME);
    }

    /** The caller a sync ticket was given to; an expired, forged or other token is refused (401). */
    public Caller verifyTicket(String ticket) {
        try {
            JWTClaimsSet claims = tickets.process(ticket, null);
            return new Caller(claims.getLongClaim(BUSINESS), Access.parse(claims.getStringClaim(ROLE)),
                    claims.getSubject());
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw unauthorized("the sync ticket is expired or not one this deployment gave out (" + e.getMessage()
                    + "); ask POST /v1/sync/tickets for a new one");
        }
    }

    private String sign(JWTClaimsSet.Builder builder, long businessId, Access access, Duration lifetime) {
        Instant now = clock.instant();
        JWTClaimsSet claims = builder
                .issuer(ISSUER)
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
