package io.steadfast.config;

/** What this build of Steadfast is: the version from the jar's manifest, or "dev" when run from classes. */
public final class Build {
    private Build() {
    }

    public static String version() {
        String v = Build.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
