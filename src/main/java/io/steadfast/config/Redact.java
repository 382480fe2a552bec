package io.steadfast.config;

/** Keeps secrets out of what a process prints: banners, logs, errors and {@code toString}. */
public final class Redact {
    public static final String HIDDEN = "***";

    private Redact() {
    }

    /** A database URL without its password, in either the JDBC or the URI form. */
    public static String url(String url) {
        return url.replaceAll("password=[^&]*", "password=" + HIDDEN).replaceAll("//([^:/@]+):[^@]*@", "//$1:" + HIDDEN + "@");
    }

    /** A secret as it may be printed: whether it is set, never what it is. */
    public static String secret(Object value) {
        return value == null ? "unset" : HIDDEN;
    }
}
