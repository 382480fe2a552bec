package io.steadfast.idempotency;

import io.steadfast.error.InvalidRequestException;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Write requests that take effect once per {@code Idempotency-Key}: in the caller's transaction, the key is claimed,
 * the request runs, and its answer is stored with the key. A repeat (even one racing the first: it waits on the
 * claim's row lock) gets the stored answer and runs nothing. A request that fails rolls its claim back with
 * everything else, so it can be retried with the same key.
 */
public final class Idempotency {
    private Idempotency() {
    }

    /** The answer to a request: its status and JSON body, the same for every repeat of its key. */
    public record Answer(int status, String body) {
    }

    /**
     * Runs {@code request} unless {@code key} was used before; then the first answer, or a 422 if it asked otherwise.
     * Without a key (where the API does not require one) the request simply runs.
     */
    public static Answer once(Handle tx, long businessId, Optional<IdempotencyKey> key, Function<Handle, Answer> request) {
        return key.isPresent() ? once(tx, businessId, key.get(), request) : request.apply(tx);
    }

    /** Runs {@code request} unless {@code key} was used before; then the first answer, or a 422 if it asked otherwise. */
    public static Answer once(Handle tx, long businessId, IdempotencyKey key, Function<Handle, Answer> request) {
        boolean first = tx.createUpdate("""
                        INSERT INTO idempotency_key (business_id, key, request_hash) VALUES (:business_id, :key, :hash)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("business_id", businessId).bind("key", key.key()).bind("hash", key.requestHash()).execute() == 1;
        if (!first) {
            return earlierAnswer(tx, businessId, key);
        }
        Answer answer = request.apply(tx);
        tx.createUpdate("UPDATE idempotency_key SET response_status = :status, response_body = :body "
                        + "WHERE business_id = :business_id AND key = :key")
                .bind("status", answer.status()).bind("body", answer.body()).bind("business_id", businessId)
                .bind("key", key.key()).execute();
        return answer;
    }

    /**
     * The stored answer of a key already used, without waiting on a request that is still running with it: for a
     * request that does slow work (a call out) before its transaction, so that a repeat skips that work too.
     */
    public static Optional<Answer> answered(Handle h, long businessId, IdempotencyKey key) {
        return stored(h, businessId, key).filter(s -> s.status() != null).map(s -> answer(s, key));
    }

    private record Stored(byte[] hash, Integer status, String body) {
    }

    private static Optional<Stored> stored(Handle h, long businessId, IdempotencyKey key) {
        return h.createQuery("SELECT request_hash, response_status, response_body FROM idempotency_key "
                        + "WHERE business_id = :business_id AND key = :key")
                .bind("business_id", businessId).bind("key", key.key())
                .map((rs, ctx) -> new Stored(rs.getBytes("request_hash"), (Integer) rs.getObject("response_status"),
                        rs.getString("response_body")))
                .findOne();
    }

    private static Answer earlierAnswer(Handle tx, long businessId, IdempotencyKey key) {
        return answer(stored(tx, businessId, key).orElseThrow(), key);
    }

    private static Answer answer(Stored s, IdempotencyKey key) {
        if (!MessageDigest.isEqual(s.hash(), key.requestHash())) {
            throw new InvalidRequestException("idempotency_key_reused", 422, "Idempotency-Key " + key.key() + " was used "
                    + "for another request; use a new key for a new operation");
        }
        return new Answer(s.status(), s.body());
    }
}
