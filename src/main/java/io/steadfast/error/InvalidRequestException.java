package io.steadfast.error;

/** The caller sent something we will not act on. Nothing was stored. */
public class InvalidRequestException extends SteadfastException {
    public InvalidRequestException(String code, int httpStatus, String message) {
        super(code, httpStatus, message);
    }

    @Override
    public InvalidRequestException with(String field, Object value) {
        super.with(field, value);
        return this;
    }

    public static InvalidRequestException badRequest(String message) {
        return new InvalidRequestException("invalid_request", 400, message);
    }

    public static InvalidRequestException notFound(String message) {
        return new InvalidRequestException("not_found", 404, message);
    }

    public static InvalidRequestException conflict(String message) {
        return new InvalidRequestException("conflict", 409, message);
    }
}
