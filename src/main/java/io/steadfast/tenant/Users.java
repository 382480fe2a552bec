package io.steadfast.tenant;

import io.steadfast.db.BusinessScope;
import io.steadfast.db.DatabaseErrors;
import io.steadfast.error.InvalidRequestException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** The people of a business who sign in, each with a role; and signing in. */
public final class Users {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_EMAIL = 254;

    private final Jdbi jdbi;
    private final Passwords passwords;

    public Users(Jdbi jdbi, Passwords passwords) {
        this.jdbi = jdbi;
        this.passwords = passwords;
    }

    public record UserView(long id, String email, Access access, Instant createdAt) {
    }

    /** A user who proved its password. */
    public record SignedIn(long id, long businessId, Access access) {
    }

    /** Adds a user; 409 when the email is taken, in this business or another. */
    public UserView create(long businessId, String email, String password, Access access) {
        String normalized = normalize(email);
        String hash = passwords.hash(password);
        try {
            return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("""
                            INSERT INTO app_user (business_id, email, password_hash, role)
                            VALUES (:business_id, :email, :hash, :role)
                            RETURNING id, email, role, created_at
                            """)
                    .bind("business_id", businessId).bind("email", normalized).bind("hash", hash)
                    .bind("role", access.sql())
                    .map((rs, ctx) -> new UserView(rs.getLong("id"), rs.getString("email"),
                            Access.fromSql(rs.getString("role")), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                    .one());
        } catch (RuntimeException e) {
            if (DatabaseErrors.isUniqueViolation(e)) {
                throw InvalidRequestException.conflict("a user with email " + normalized + " already exists");
            }
            throw e;
        }
    }

    public List<UserView> list(long businessId) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("""
                        SELECT id, email, role, created_at FROM app_user WHERE business_id = :business_id ORDER BY id
                        """)
                .bind("business_id", businessId)
                .map(Users::view)
                .list());
    }

    public Optional<UserView> find(long businessId, long id) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("""
                        SELECT id, email, role, created_at FROM app_user WHERE business_id = :business_id AND id = :id
                        """)
                .bind("business_id", businessId).bind("id", id)
                .map(Users::view)
                .findOne());
    }

    private static UserView view(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new UserView(rs.getLong("id"), rs.getString("email"), Access.fromSql(rs.getString("role")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    /** The user whose email and password these are. An unknown email costs the same hashing as a wrong password. */
    public Optional<SignedIn> signIn(String email, String password) {
        record Stored(long id, long businessId, String hash, Access access) {
        }
        Optional<Stored> user = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, business_id, password_hash, role FROM steadfast_user_by_email(:email)")
                .bind("email", email.trim().toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> new Stored(rs.getLong("id"), rs.getLong("business_id"), rs.getString("password_hash"),
                        Access.fromSql(rs.getString("role"))))
                .findOne());
        if (user.isEmpty()) {
            passwords.matchesNothing(password);
            return Optional.empty();
        }
        Stored u = user.get();
        return passwords.matches(password, u.hash())
                ? Optional.of(new SignedIn(u.id(), u.businessId(), u.access()))
                : Optional.empty();
    }

    private static String normalize(String email) {
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (e.length() > MAX_EMAIL || !EMAIL.matcher(e).matches()) {
            throw InvalidRequestException.badRequest("email must be an address such as ana@example.com, got \""
                    + email + "\"");
        }
        return e;
    }
}
