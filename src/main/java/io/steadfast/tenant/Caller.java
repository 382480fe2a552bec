package io.steadfast.tenant;

/**
 * Who sent a request: the one business it acts for, what it may do there, and the credential that proved it
 * ({@code operator}, {@code key:<id>}, {@code user:<id>}), which is also what its rate limit counts against.
 */
public record Caller(long businessId, Access access, String credential) {
    public static final String OPERATOR = "operator";

    public static Caller operator(long defaultBusinessId) {
        return new Caller(defaultBusinessId, Access.ADMIN, OPERATOR);
    }

    /** The deployment's operator (STEADFAST_API_TOKEN): acts for the default business and may create businesses. */
    public boolean isOperator() {
        return OPERATOR.equals(credential);
    }
}
