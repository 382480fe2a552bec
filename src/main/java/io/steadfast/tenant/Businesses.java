package io.steadfast.tenant;

import io.steadfast.db.BusinessScope;
import io.steadfast.db.DatabaseErrors;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.ratelimit.RateLimit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The businesses one deployment serves. Each starts with an admin API key, shown once. */
public final class Businesses {
    private static final int MAX_NAME = 200;

    private final Jdbi jdbi;

    public Businesses(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record NewBusiness(long id, String name, ApiKeys.NewKey apiKey, Optional<String> apiRateLimit) {
    }

    /** A business as the operator sees it; {@code apiRateLimit} is its own limit, empty when it has the default. */
    public record BusinessView(long id, String name, Optional<String> apiRateLimit) {
    }

    public Optional<BusinessView> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, api_rate_limit FROM business WHERE id = :id")
                .bind("id", id).map(Businesses::view).findOne());
    }

    public List<BusinessView> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, api_rate_limit FROM business ORDER BY id")
                .map(Businesses::view).list());
    }

    private static BusinessView view(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new BusinessView(rs.getLong("id"), rs.getString("name"), Optional.ofNullable(rs.getString("api_rate_limit")));
    }

    /**
     * Gives a business its own API rate limit ({@code 5000/h}, {@code off}), or back the deployment's default when
     * empty; nodes apply it within {@link io.steadfast.ratelimit.RateLimiter#OVERRIDES_FRESH_FOR}.
     */
    public BusinessView setRateLimit(long id, Optional<String> limit) {
        Optional<String> normalized = limit.map(this::validRateLimit);
        int changed = jdbi.withHandle(h -> h.createUpdate("UPDATE business SET api_rate_limit = :limit WHERE id = :id")
                .bind("limit", normalized.orElse(null)).bind("id", id).execute());
        if (changed == 0) {
            throw InvalidRequestException.notFound("no business has id " + id);
        }
        return find(id).orElseThrow();
    }

    /** The limit as stored ({@code 5000/h}, {@code off}); 400 when it is not a limit. */
    public String validRateLimit(String limit) {
        try {
            return RateLimit.parse(limit).map(RateLimit::toString).orElse("off");
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.badRequest("api_rate_limit: " + e.getMessage());
        }
    }

    /** Creates a business (with its own rate limit, if given) and its first key; 409 when the name is taken. */
    public NewBusiness create(String name, Optional<String> rateLimit) {
        Optional<String> limit = rateLimit.map(this::validRateLimit);
        String trimmed = name.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
            throw InvalidRequestException.badRequest("name must be 1-" + MAX_NAME + " characters");
        }
        try {
            return jdbi.inTransaction(tx -> {
                long id = tx.createQuery("INSERT INTO business (name, api_rate_limit) VALUES (:name, :limit) RETURNING id")
                        .bind("name", trimmed).bind("limit", limit.orElse(null)).mapTo(Long.class).one();
                BusinessScope.actFor(tx, java.util.List.of(id));
                return new NewBusiness(id, trimmed, ApiKeys.create(tx, id, "initial admin key", Access.ADMIN), limit);
            });
        } catch (RuntimeException e) {
            if (DatabaseErrors.isUniqueViolation(e)) {
                throw InvalidRequestException.conflict("a business named \"" + trimmed + "\" already exists");
            }
            throw e;
        }
    }
}
