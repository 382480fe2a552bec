package io.steadfast.tenant;

/**
 * Who sent a request: the one business it acts for, what it may do there, and the credential that proved it
 * ({@code operator}, {@code key:<id>}, {@code user:<id>}), which is also what its rate limit counts against.
 */
public record Caller(long businessId, Access access, String credential) {
    public static final String OPERATOR = "operator";
    static final String USER = "user:";

    public static Caller operator(long defaultBusinessId) {
        return new Caller(defaultBusinessId, Access.ADMIN, OPERATOR);
    }

    /** The user's id, when a user's access token made this caller. */
    public java.util.Optional<Long> userId() {
        return credential.startsWith(USER) ? java.util.Optional.of(Long.parseLong(credential.substring(USER.length())))
                : java.util.Optional.empty();
    }

    /** The deployment's operator (STEADFAST_API_TOKEN): acts for the default business and may create businesses. */
    public boolean isOperator() {
        return OPERATOR.equals(credential);
    }
}
