package io.steadfast.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * One token bucket per credential, kept in PostgreSQL (Bucket4j, a row locked for each request), so every node
 * draws from the same bucket. The limit is the business's own ({@code business.api_rate_limit}) or the
 * deployment's default; a bucket refills all at once at the end of each window.
 *
 * <p>Requests of one credential that arrive together on a node are taken in one database call (Bucket4j's batching),
 * and the pool given here should commit without waiting for the disk: a bucket row is held locked until its commit,
 * and losing the last moments of a bucket's state in a crash only lets those few requests through again.
 */
public final class RateLimiter {
    /** How long a business's own limit is trusted before it is read again. */
    public static final Duration OVERRIDES_FRESH_FOR = Duration.ofSeconds(10);
    /** How long a full, unused bucket is kept before {@link BucketRetention} may delete it. */
    static final Duration KEEP_FULL_BUCKETS = Duration.ofMinutes(1);

    private final ProxyManager<String> buckets;
    private final Optional<RateLimit> deploymentDefault;
    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<Long, Override> overrides = new ConcurrentHashMap<>();
    private final Map<String, BucketProxy> proxies = new ConcurrentHashMap<>();

    private record Override(Optional<RateLimit> limit, Instant readAt) {
    }

    /** What one request took from its bucket. */
    public record Decision(RateLimit limit, boolean allowed, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    public RateLimiter(DataSource dataSource, Jdbi jdbi, Optional<RateLimit> deploymentDefault, Clock clock) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(BucketRetention.TABLE)
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKETS))
                .build();
        this.deploymentDefault = deploymentDefault;
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Takes one request from the credential's bucket; empty when neither the business nor the deployment limits it. */
    public Optional<Decision> take(long businessId, String credential) {
        return limitOf(businessId).map(limit -> take(credential, limit));
    }

    /** Takes one request from the bucket of {@code key} (a credential, or anything else to be limited) under {@code limit}. */
    public Decision take(String key, RateLimit limit) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit.requests()).refillIntervally(limit.requests(), limit.window()))
                .build();
        // a changed limit starts a bucket of its own rather than inheriting the old one's state
        BucketProxy bucket = proxies.computeIfAbsent(key + "@" + limit, id -> buckets.builder()
                .withOptimization(Optimizations.batching()).build(id, () -> configuration));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new Decision(limit, probe.isConsumed(), probe.getRemainingTokens(),
                seconds(probe.getNanosToWaitForReset()), Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    private Optional<RateLimit> limitOf(long businessId) {
        Instant now = clock.instant();
        Override cached = overrides.get(businessId);
        if (cached == null || cached.readAt().plus(OVERRIDES_FRESH_FOR).isBefore(now)) {
            Optional<String> own = jdbi.withHandle(h -> h.createQuery("SELECT api_rate_limit FROM business WHERE id = :id")
                    .bind("id", businessId).mapTo(String.class).findOne());
            cached = new Override(own.isPresent() ? RateLimit.parse(own.get()) : deploymentDefault, now);
            overrides.put(businessId, cached);
        }
        return cached.limit();
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
