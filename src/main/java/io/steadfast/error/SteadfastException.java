package io.steadfast.error;

/**
 * The root of every failure Steadfast reports on purpose. Each subclass names the phase that failed; the HTTP
 * layer turns any of them into {@code {"error": code, "message": message}} with {@link #httpStatus()}.
 */
public class SteadfastException extends RuntimeException {
    private final String code;
    private final int httpStatus;
    private final java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();

    public SteadfastException(String code, int httpStatus, String message) {
        this(code, httpStatus, message, null);
    }

    public SteadfastException(String code, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Adds a field to the error's JSON beside {@code error} and {@code message}, for a caller to act on. */
    public SteadfastException with(String field, Object value) {
        details.put(field, value);
        return this;
    }

    public java.util.Map<String, Object> details() {
        return java.util.Collections.unmodifiableMap(details);
    }
}
