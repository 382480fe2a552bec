package io.steadfast.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The dashboard at {@code /}: plain HTML, CSS and ES modules from the jar's {@code web/} folder, no build step and
 * nothing fetched from elsewhere. The pages read the same {@code /v1} API as any client, with the signed-in
 * credential, and the live feed through a sync ticket.
 */
public final class Dashboard {
    /**
     * Everything the pages load comes from this server; the API and the live feed are on the same origin. Inline
     * styles are allowed for the chaos and load reports, whose HTML carries its own and is shown in a frame that runs
     * no scripts.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";

    private Dashboard() {
    }

    public static void serve(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/web";
            files.location = Location.CLASSPATH;
            files.headers = Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    "Cache-Control", "no-cache");
        });
    }
}
