package io.steadfast.config;

import io.steadfast.ratelimit.RateLimit;
import io.steadfast.retention.Retention;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of a Steadfast process, read once at start from environment variables (a command-line flag of
 * the same name may override) and validated. Immutable.
 */
public record Config(
        Optional<String> databaseUrl,
        String host,
        int port,
        Role role,
        Path dataDir,
        Path reportsDir,
        String whatsappAppSecret,
        String whatsappVerifyToken,
        String apiToken,
        String shopifySecret,
        String jwtSecret,
        Duration tokenLifetime,
        Optional<RateLimit> apiRateLimit,
        Set<String> generatedSecrets,
        boolean autoRegisterChannels,
        int maxBodyBytes,
        Duration ackTimeout,
        int poolSize,
        int workers,
        int batchSize,
        Duration lease,
        int maxAttempts,
        Duration pollInterval,
        Duration retryBackoff,
        boolean workersGiveWay,
        boolean faultInjection,
        ShopifyReconciliation shopifyReconciliation,
        Retention retention,
        Providers providers,
        Store store) {

    /**
     * The business's own store: where shipping rates come from (none: always the fallback rate), the time limit of a
     * quote, the fallback and the largest believable rate, how long the rate service's breaker stays open once
     * tripped, and where order push notifications go (none: not sent).
     */
    public record Store(Optional<URI> shippingRatesUrl, Duration shippingTimeout, java.math.BigDecimal fallbackRate,
                        java.math.BigDecimal maxRate, Duration breakerOpen, Optional<URI> pushUrl) {
    }

    /**
     * Where outbound messages go: each provider's base URL and credentials, the sender used when a business registered
     * none, the time limit of one call, and how long a sent message may go without a status before it is looked for.
     * {@code publicUrl}: the base URL providers call this deployment at (Twilio signs it); empty: localhost.
     */
    public record Providers(URI whatsappApiUrl, Optional<String> whatsappAccessToken, URI smsApiUrl,
                            Optional<String> smsAccountSid, Optional<String> smsAuthToken, Optional<String> smsFrom,
                            Optional<Smtp> smtp, Optional<String> emailFrom, Optional<URI> publicUrl, Duration timeout,
                            Duration statusDeadline) {
        @Override
        public String toString() {
            return "Providers[whatsappApiUrl=" + whatsappApiUrl + ", whatsappAccessToken="
                    + Redact.secret(whatsappAccessToken.orElse(null)) + ", smsApiUrl=" + smsApiUrl + ", smsAccountSid="
                    + smsAccountSid.orElse(null) + ", smsAuthToken=" + Redact.secret(smsAuthToken.orElse(null))
                    + ", smsFrom=" + smsFrom.orElse(null) + ", smtp=" + smtp.orElse(null) + ", emailFrom="
                    + emailFrom.orElse(null) + ", publicUrl=" + publicUrl.orElse(null) + ", timeout=" + timeout
                    + ", statusDeadline=" + statusDeadline + "]";
        }
    }

    /** An SMTP server for email. */
    public record Smtp(String host, int port, Optional<String> username, Optional<String> password) {
        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + ", username=" + username.orElse(null) + ", password="
                    + Redact.secret(password.orElse(null)) + "]";
        }
    }

    /** The periodic Shopify reconciliation: off when {@code every} is zero. */
    public record ShopifyReconciliation(Duration every, Optional<String> shop, Optional<String> adminUrl,
                                        Optional<String> adminToken) {
        public boolean enabled() {
            return !every.isZero();
        }

        @Override
        public String toString() {
            return "ShopifyReconciliation[every=" + every + ", shop=" + shop.orElse("unset") + ", adminUrl="
                    + adminUrl.orElse("unset") + ", adminToken=" + Redact.secret(adminToken.orElse(null)) + "]";
        }
    }

    /** Every setting but the secrets, which show only as set. */
    @Override
    public String toString() {
        return "Config[databaseUrl=" + databaseUrl.map(Redact::url).orElse("embedded") + ", host=" + host + ", port="
                + port + ", role=" + role + ", dataDir=" + dataDir + ", whatsappAppSecret=" + Redact.secret(whatsappAppSecret)
                + ", whatsappVerifyToken=" + Redact.secret(whatsappVerifyToken) + ", apiToken=" + Redact.secret(apiToken)
                + ", shopifySecret=" + Redact.secret(shopifySecret) + ", jwtSecret=" + Redact.secret(jwtSecret)
                + ", tokenLifetime=" + tokenLifetime + ", apiRateLimit=" + apiRateLimit.map(RateLimit::toString).orElse("off")
                + ", generatedSecrets=" + generatedSecrets
                + ", autoRegisterChannels=" + autoRegisterChannels + ", maxBodyBytes=" + maxBodyBytes + ", ackTimeout="
                + ackTimeout + ", poolSize=" + poolSize + ", workers=" + workers + ", batchSize=" + batchSize + ", lease="
                + lease + ", maxAttempts=" + maxAttempts + ", pollInterval=" + pollInterval + ", retryBackoff="
                + retryBackoff + ", workersGiveWay=" + workersGiveWay + ", faultInjection=" + faultInjection
                + ", shopifyReconciliation=" + shopifyReconciliation + ", retention=" + retention + ", providers="
                + providers + ", store=" + store + "]";
    }

    public static final String DATABASE_URL = "STEADFAST_DATABASE_URL";
    public static final String RETENTION_DAYS = "STEADFAST_RETENTION_DAYS";
    public static final String CHANGE_LOG_RETENTION_HOURS = "STEADFAST_CHANGE_LOG_RETENTION_HOURS";
    public static final String AUDIT_RETENTION_DAYS = "STEADFAST_AUDIT_RETENTION_DAYS";
    public static final String IDEMPOTENCY_KEY_HOURS = "STEADFAST_IDEMPOTENCY_KEY_HOURS";
    public static final String HOST = "STEADFAST_HOST";
    public static final String PORT = "STEADFAST_PORT";
    public static final String ROLE = "STEADFAST_ROLE";
    public static final String DATA_DIR = "STEADFAST_DATA_DIR";
    public static final String WHATSAPP_APP_SECRET = "STEADFAST_WHATSAPP_APP_SECRET";
    public static final String WHATSAPP_VERIFY_TOKEN = "STEADFAST_WHATSAPP_VERIFY_TOKEN";
    public static final String API_TOKEN = "STEADFAST_API_TOKEN";
    public static final String SHOPIFY_SECRET = "STEADFAST_SHOPIFY_SECRET";
    public static final String JWT_SECRET = "STEADFAST_JWT_SECRET";
    public static final String TOKEN_TTL_MINUTES = "STEADFAST_TOKEN_TTL_MINUTES";
    public static final String API_RATE_LIMIT = "STEADFAST_API_RATE_LIMIT";
    public static final String AUTO_REGISTER_CHANNELS = "STEADFAST_AUTO_REGISTER_CHANNELS";
    public static final String MAX_BODY_BYTES = "STEADFAST_MAX_BODY_BYTES";
    public static final String ACK_TIMEOUT_MS = "STEADFAST_ACK_TIMEOUT_MS";
    public static final String POOL_SIZE = "STEADFAST_POOL_SIZE";
    public static final String WORKERS = "STEADFAST_WORKERS";
    public static final String WORKERS_GIVE_WAY = "STEADFAST_WORKERS_GIVE_WAY";
    public static final String BATCH_SIZE = "STEADFAST_BATCH_SIZE";
    public static final String LEASE_MS = "STEADFAST_LEASE_MS";
    public static final String MAX_ATTEMPTS = "STEADFAST_MAX_ATTEMPTS";
    public static final String POLL_MS = "STEADFAST_POLL_MS";
    public static final String RETRY_BACKOFF_MS = "STEADFAST_RETRY_BACKOFF_MS";
    public static final String FAULT_INJECTION = "STEADFAST_FAULT_INJECTION";
    public static final String REPORTS_DIR = "STEADFAST_REPORTS_DIR";
    public static final String SHOPIFY_RECONCILE_MINUTES = "STEADFAST_SHOPIFY_RECONCILE_MINUTES";
    public static final String SHOPIFY_SHOP = "STEADFAST_SHOPIFY_SHOP";
    public static final String SHOPIFY_ADMIN_URL = "STEADFAST_SHOPIFY_ADMIN_URL";
    public static final String SHOPIFY_ADMIN_TOKEN = "STEADFAST_SHOPIFY_ADMIN_TOKEN";
    public static final String WHATSAPP_API_URL = "STEADFAST_WHATSAPP_API_URL";
    public static final String WHATSAPP_ACCESS_TOKEN = "STEADFAST_WHATSAPP_ACCESS_TOKEN";
    public static final String PROVIDER_TIMEOUT_MS = "STEADFAST_PROVIDER_TIMEOUT_MS";
    public static final String DEFAULT_WHATSAPP_API_URL = "https://graph.facebook.com/v21.0";
    public static final String SMS_API_URL = "STEADFAST_SMS_API_URL";
    public static final String SMS_ACCOUNT_SID = "STEADFAST_SMS_ACCOUNT_SID";
    public static final String SMS_AUTH_TOKEN = "STEADFAST_SMS_AUTH_TOKEN";
    public static final String SMS_FROM = "STEADFAST_SMS_FROM";
    public static final String DEFAULT_SMS_API_URL = "https://api.twilio.com";
    public static final String SMTP_HOST = "STEADFAST_SMTP_HOST";
    public static final String SMTP_PORT = "STEADFAST_SMTP_PORT";
    public static final String SMTP_USERNAME = "STEADFAST_SMTP_USERNAME";
    public static final String SMTP_PASSWORD = "STEADFAST_SMTP_PASSWORD";
    public static final String EMAIL_FROM = "STEADFAST_EMAIL_FROM";
    public static final String PUBLIC_URL = "STEADFAST_PUBLIC_URL";
    public static final String SHIPPING_RATES_URL = "STEADFAST_SHIPPING_RATES_URL";
    public static final String SHIPPING_TIMEOUT_MS = "STEADFAST_SHIPPING_TIMEOUT_MS";
    public static final String SHIPPING_FALLBACK_RATE = "STEADFAST_SHIPPING_FALLBACK_RATE";
    public static final String SHIPPING_MAX_RATE = "STEADFAST_SHIPPING_MAX_RATE";
    public static final String SHIPPING_BREAKER_OPEN_SECONDS = "STEADFAST_SHIPPING_BREAKER_OPEN_SECONDS";
    public static final String PUSH_URL = "STEADFAST_PUSH_URL";
    public static final String STATUS_DEADLINE_MINUTES = "STEADFAST_STATUS_DEADLINE_MINUTES";
    public static final int DEFAULT_STATUS_DEADLINE_MINUTES = 60;

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = ".steadfast";
    /** Where the dashboard looks for chaos-reports/ and load-reports/: where those commands write by default. */
    public static final String DEFAULT_REPORTS_DIR = ".";
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_ACK_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_POOL_SIZE = 16;
    /** One worker per core: more only compete with ingestion for CPU (measured: docs/BENCHMARKS.md). */
    public static final int DEFAULT_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    public static final int DEFAULT_BATCH_SIZE = 200;
    public static final int DEFAULT_LEASE_MS = 8_000;
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final int DEFAULT_POLL_MS = 1_000;
    public static final int DEFAULT_RETRY_BACKOFF_MS = 1_000;
    public static final int DEFAULT_TOKEN_TTL_MINUTES = 60;
    /** Per credential: enough for any interactive use, and a runaway script cannot monopolise the database. */
    public static final String DEFAULT_API_RATE_LIMIT = "6000/min";

    /** Reads and validates every setting; secrets that are not set come from (or are generated into) the data dir. */
    public static Config load(Map<String, String> values) {
        Function<String, Optional<String>> get = key -> Optional.ofNullable(values.get(key))
                .map(String::trim).filter(v -> !v.isEmpty());
        Path dataDir = Path.of(get.apply(DATA_DIR).orElse(DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
        SecretStore secrets = new SecretStore(dataDir.resolve("secrets.properties"));
        String appSecret = get.apply(WHATSAPP_APP_SECRET).orElseGet(() -> secrets.getOrGenerate(WHATSAPP_APP_SECRET));
        String verifyToken = get.apply(WHATSAPP_VERIFY_TOKEN).orElseGet(() -> secrets.getOrGenerate(WHATSAPP_VERIFY_TOKEN));
        String apiToken = get.apply(API_TOKEN).orElseGet(() -> secrets.getOrGenerate(API_TOKEN));
        String shopifySecret = get.apply(SHOPIFY_SECRET).orElseGet(() -> secrets.getOrGenerate(SHOPIFY_SECRET));
        String jwtSecret = get.apply(JWT_SECRET).orElseGet(() -> secrets.getOrGenerate(JWT_SECRET));
        secrets.saveIfChanged();

        Config config = new Config(
                get.apply(DATABASE_URL),
                get.apply(HOST).orElse(DEFAULT_HOST),
                intSetting(get, PORT, DEFAULT_PORT, 0, 65_535),
                get.apply(ROLE).map(Role::parse).orElse(Role.ALL),
                dataDir,
                Path.of(get.apply(REPORTS_DIR).orElse(DEFAULT_REPORTS_DIR)).toAbsolutePath().normalize(),
                appSecret,
                verifyToken,
                apiToken,
                shopifySecret,
                jwtSecret,
                Duration.ofMinutes(intSetting(get, TOKEN_TTL_MINUTES, DEFAULT_TOKEN_TTL_MINUTES, 1, 43_200)),
                rateLimit(get.apply(API_RATE_LIMIT).orElse(DEFAULT_API_RATE_LIMIT)),
                secrets.generated(),
                booleanSetting(get, AUTO_REGISTER_CHANNELS, true),
                intSetting(get, MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1_024, 64 * 1024 * 1024),
                Duration.ofMillis(intSetting(get, ACK_TIMEOUT_MS, DEFAULT_ACK_TIMEOUT_MS, 100, 600_000)),
                intSetting(get, POOL_SIZE, DEFAULT_POOL_SIZE, 2, 1_000),
                intSetting(get, WORKERS, DEFAULT_WORKERS, 1, 256),
                intSetting(get, BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, 10_000),
                Duration.ofMillis(intSetting(get, LEASE_MS, DEFAULT_LEASE_MS, 100, 86_400_000)),
                intSetting(get, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, 1_000),
                Duration.ofMillis(intSetting(get, POLL_MS, DEFAULT_POLL_MS, 10, 600_000)),
                Duration.ofMillis(intSetting(get, RETRY_BACKOFF_MS, DEFAULT_RETRY_BACKOFF_MS, 1, 3_600_000)),
                booleanSetting(get, WORKERS_GIVE_WAY, true),
                booleanSetting(get, FAULT_INJECTION, false),
                new ShopifyReconciliation(Duration.ofMinutes(intSetting(get, SHOPIFY_RECONCILE_MINUTES, 0, 0, 10_080)),
                        get.apply(SHOPIFY_SHOP), get.apply(SHOPIFY_ADMIN_URL), get.apply(SHOPIFY_ADMIN_TOKEN)),
                retention(get),
                providers(get),
                store(get));
        if (config.shopifyReconciliation().enabled() && (config.shopifyReconciliation().shop().isEmpty()
                || config.shopifyReconciliation().adminToken().isEmpty())) {
            throw new ConfigException(SHOPIFY_RECONCILE_MINUTES + " is set, so " + SHOPIFY_SHOP + " and "
                    + SHOPIFY_ADMIN_TOKEN + " must be too (the shop to reconcile and an Admin API token with read_orders)");
        }
        requireSecret(WHATSAPP_APP_SECRET, appSecret);
        requireSecret(WHATSAPP_VERIFY_TOKEN, verifyToken);
        requireSecret(API_TOKEN, apiToken);
        requireSecret(SHOPIFY_SECRET, shopifySecret);
        if (jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new ConfigException(JWT_SECRET + " must be at least 32 bytes (it signs every access token, HMAC-SHA256), got "
                    + jwtSecret.length());
        }
        return config;
    }

    public boolean embeddedDatabase() {
        return databaseUrl.isEmpty();
    }

    private static Retention retention(Function<String, Optional<String>> get) {
        int minDays = (int) Retention.MIN_EVENTS.toDays();
        if (get.apply(RETENTION_DAYS).map(raw -> raw.matches("\\d+") && Integer.parseInt(raw) < minDays).orElse(false)) {
            throw new ConfigException(RETENTION_DAYS + " must be at least " + minDays + " (Meta retries a webhook for up to "
                    + minDays + " days, and a redelivery must still be recognised as a duplicate), got " + get.apply(RETENTION_DAYS).get());
        }
        int auditDays = intSetting(get, AUDIT_RETENTION_DAYS, 0, 0, 36_500);
        return new Retention(Duration.ofDays(intSetting(get, RETENTION_DAYS, Retention.DEFAULT_EVENT_DAYS, minDays, 36_500)),
                Duration.ofHours(intSetting(get, CHANGE_LOG_RETENTION_HOURS, Retention.DEFAULT_CHANGE_LOG_HOURS, 1, 876_000)),
                auditDays == 0 ? Optional.empty() : Optional.of(Duration.ofDays(auditDays)),
                Duration.ofHours(intSetting(get, IDEMPOTENCY_KEY_HOURS, Retention.DEFAULT_IDEMPOTENCY_KEY_HOURS,
                        (int) Retention.MIN_IDEMPOTENCY_KEYS.toHours(), 876_000)));
    }

    private static Providers providers(Function<String, Optional<String>> get) {
        if (get.apply(SMS_ACCOUNT_SID).isPresent() != get.apply(SMS_AUTH_TOKEN).isPresent()) {
            throw new ConfigException("set both " + SMS_ACCOUNT_SID + " and " + SMS_AUTH_TOKEN + " (the Twilio account "
                    + "SID and its auth token) to send SMS, or neither");
        }
        Optional<String> smsFrom = get.apply(SMS_FROM);
        if (smsFrom.isPresent() && !smsFrom.get().matches("\\+[1-9]\\d{6,14}")) {
            throw new ConfigException(SMS_FROM + " must be a phone number in E.164 form, such as +15551234567, got '"
                    + smsFrom.get() + "'");
        }
        Optional<String> emailFrom = get.apply(EMAIL_FROM);
        if (emailFrom.isPresent() && !emailFrom.get().matches("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}")) {
            throw new ConfigException(EMAIL_FROM + " must be an email address such as orders@example.com, got '"
                    + emailFrom.get() + "'");
        }
        Optional<Smtp> smtp = get.apply(SMTP_HOST).map(host -> new Smtp(host, intSetting(get, SMTP_PORT, 587, 1, 65_535),
                get.apply(SMTP_USERNAME), get.apply(SMTP_PASSWORD)));
        return new Providers(url(get, WHATSAPP_API_URL, DEFAULT_WHATSAPP_API_URL), get.apply(WHATSAPP_ACCESS_TOKEN),
                url(get, SMS_API_URL, DEFAULT_SMS_API_URL), get.apply(SMS_ACCOUNT_SID), get.apply(SMS_AUTH_TOKEN),
                smsFrom, smtp, emailFrom.map(e -> e.toLowerCase(java.util.Locale.ROOT)),
                get.apply(PUBLIC_URL).map(raw -> url(get, PUBLIC_URL, raw)),
                Duration.ofMillis(intSetting(get, PROVIDER_TIMEOUT_MS, 10_000, 100, 600_000)),
                Duration.ofMinutes(intSetting(get, STATUS_DEADLINE_MINUTES, DEFAULT_STATUS_DEADLINE_MINUTES, 1, 43_200)));
    }

    private static Store store(Function<String, Optional<String>> get) {
        return new Store(get.apply(SHIPPING_RATES_URL).map(raw -> url(get, SHIPPING_RATES_URL, raw)),
                Duration.ofMillis(intSetting(get, SHIPPING_TIMEOUT_MS, 2_000, 50, 60_000)),
                decimalSetting(get, SHIPPING_FALLBACK_RATE, "5.00"), decimalSetting(get, SHIPPING_MAX_RATE, "1000.00"),
                Duration.ofSeconds(intSetting(get, SHIPPING_BREAKER_OPEN_SECONDS, 30, 1, 3_600)),
                get.apply(PUSH_URL).map(raw -> url(get, PUSH_URL, raw)));
    }

    /** A decimal amount such as 4.99: not negative, at most 1,000,000. */
    private static java.math.BigDecimal decimalSetting(Function<String, Optional<String>> get, String key, String fallback) {
        String raw = get.apply(key).orElse(fallback).trim();
        try {
            java.math.BigDecimal value = new java.math.BigDecimal(raw);
            if (value.signum() >= 0 && value.compareTo(java.math.BigDecimal.valueOf(1_000_000)) <= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key + " must be an amount such as " + fallback + " (0 to 1000000), got '" + raw + "'");
    }

    private static URI url(Function<String, Optional<String>> get, String key, String fallback) {
        String raw = get.apply(key).orElse(fallback);
        try {
            URI uri = new URI(raw);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(raw, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key + " must be an http(s) URL such as " + fallback + ", got '" + raw + "'");
        }
    }

    private static Optional<RateLimit> rateLimit(String raw) {
        try {
            return RateLimit.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(API_RATE_LIMIT + ": " + e.getMessage());
        }
    }

    private static int intSetting(Function<String, Optional<String>> get, String key, int fallback, int min, int max) {
        Optional<String> raw = get.apply(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, got '" + raw.get() + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(key + " must be " + min + "-" + max + ", got " + value);
        }
        return value;
    }

    private static boolean booleanSetting(Function<String, Optional<String>> get, String key, boolean fallback) {
        return get.apply(key).map(raw -> switch (raw.toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + raw + "'");
        }).orElse(fallback);
    }

    private static void requireSecret(String key, String value) {
        if (value.length() < 16) {
            throw new ConfigException(key + " must be at least 16 characters (it guards every request), got "
                    + value.length());
        }
    }
}
