package io.steadfast.simulator;

import picocli.CommandLine.Option;

/**
 * The options every command aimed at a running deployment repeats, as picocli mixins: a command mixes in the ones it
 * needs ({@code @Mixin RemoteOptions.Url url;}), and each secret falls back to the environment variable of the same
 * setting, so a shell that ran {@code . ./.steadfast/secrets.properties} needs no flags.
 */
public final class RemoteOptions {
    private RemoteOptions() {
    }

    public static final class Url {
        @Option(names = "--url", paramLabel = "URL", description = "A running Steadfast to work against (default: start one).")
        public String value;
    }

    public static final class AppSecret {
        @Option(names = "--app-secret", paramLabel = "SECRET", defaultValue = "${env:STEADFAST_WHATSAPP_APP_SECRET}",
                description = "With --url: its WhatsApp app secret, to sign webhooks. [STEADFAST_WHATSAPP_APP_SECRET]")
        public String value;
    }

    public static final class ShopifySecret {
        @Option(names = "--shopify-secret", paramLabel = "SECRET", defaultValue = "${env:STEADFAST_SHOPIFY_SECRET}",
                description = "With --url: its Shopify secret, to sign order webhooks. [STEADFAST_SHOPIFY_SECRET]")
        public String value;
    }

    public static final class ApiToken {
        @Option(names = "--api-token", paramLabel = "TOKEN", defaultValue = "${env:STEADFAST_API_TOKEN}",
                description = "With --url: its API token, to read results back. [STEADFAST_API_TOKEN]")
        public String value;
    }
}
