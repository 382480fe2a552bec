package io.steadfast.tenant;

import io.steadfast.db.BusinessScope;
import io.steadfast.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A business's API keys: {@code sfk_<10 characters>_<40 characters>}, random. The first part is the key's visible
 * prefix; the database keeps only the SHA-256 of the whole key, so a key is shown once, when it is made. Each
 * request looks its key up, so a revoked key stops working at once on every node.
 */
public final class ApiKeys {
    public static final String SCHEME = "sfk_";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PREFIX_CHARS = 10;
    private static final int SECRET_CHARS = 40;
    private static final int MAX_NAME = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;

    public ApiKeys(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A key as made: {@code key} is the only time the secret is seen. */
    public record NewKey(long id, String prefix, String key) {
    }

    public record KeyView(long id, String name, String prefix, Access access, Instant createdAt, Instant revokedAt) {
    }

    public NewKey create(long businessId, String name, Access access) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> create(tx, businessId, name, access));
    }

    /** Makes a key inside a transaction that acts for {@code businessId}. */
    static NewKey create(Handle tx, long businessId, String name, Access access) {
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw InvalidRequestException.badRequest("name must be 1-" + MAX_NAME + " characters");
        }
        String prefix = SCHEME + random(PREFIX_CHARS);
        String key = prefix + "_" + random(SECRET_CHARS);
        long id = tx.createQuery("""
                        INSERT INTO api_key (business_id, name, prefix, key_hash, role)
                        VALUES (:business_id, :name, :prefix, :key_hash, :role) RETURNING id
                        """)
                .bind("business_id", businessId).bind("name", name).bind("prefix", prefix)
                .bind("key_hash", sha256(key)).bind("role", access.sql())
                .mapTo(Long.class).one();
        return new NewKey(id, prefix, key);
    }

    public List<KeyView> list(long businessId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("""
                        SELECT id, name, prefix, role, created_at, revoked_at FROM api_key
                        WHERE business_id = :business_id ORDER BY id
                        """)
                .bind("business_id", businessId)
                .map((rs, ctx) -> {
                    OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
                    return new KeyView(rs.getLong("id"), rs.getString("name"), rs.getString("prefix"),
                            Access.fromSql(rs.getString("role")), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                            revoked == null ? null : revoked.toInstant());
                })
                .list());
    }

    /** Revokes a key of this business; false when it has no such key. Revoking twice is not an error. */
    public boolean revoke(long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createUpdate("""
                        UPDATE api_key SET revoked_at = coalesce(revoked_at, now())
                        WHERE business_id = :business_id AND id = :id
                        """)
                .bind("business_id", businessId).bind("id", id).execute() == 1);
    }

    /** The caller a presented key stands for; empty when it is not a key of ours or was revoked. */
    public Optional<Caller> authenticate(String presented) {
        if (!looksLikeKey(presented)) {
            return Optional.empty();
        }
        String prefix = presented.substring(0, SCHEME.length() + PREFIX_CHARS);
        byte[] hash = sha256(presented);
        return jdbi.withHandle(h -> h.createQuery("SELECT id, business_id, key_hash, role, revoked FROM steadfast_api_key(:prefix)")
                .bind("prefix", prefix)
                .map((rs, ctx) -> MessageDigest.isEqual(hash, rs.getBytes("key_hash")) && !rs.getBoolean("revoked")
                        ? Optional.of(new Caller(rs.getLong("business_id"), Access.fromSql(rs.getString("role")),
                        "key:" + rs.getLong("id")))
                        : Optional.<Caller>empty())
                .findOne()
                .flatMap(c -> c));
    }

    public static boolean looksLikeKey(String presented) {
        return presented.startsWith(SCHEME) && presented.length() == SCHEME.length() + PREFIX_CHARS + 1 + SECRET_CHARS
                && presented.charAt(SCHEME.length() + PREFIX_CHARS) == '_';
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
