package io.steadfast.load.plan;

import io.steadfast.simulator.RemoteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every scenario of the load plan takes; each scenario gives its own defaults. */
public final class PlanOptions {
    @Mixin
    RemoteOptions.Url url;

    @Mixin
    RemoteOptions.ApiToken apiToken;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long the scenario's schedule runs: 90s, 5m, 1h30m (default: the scenario's).")
    Duration duration;

    @Option(names = "--rate", paramLabel = "N", description = "Arrivals per second at the scenario's peak (default: the scenario's).")
    Double rate;

    @Option(names = "--threshold", paramLabel = "EXPR", description = {
            "A bound that sets the exit code, k6 style, repeatable: 'p95<1500' (ms), 'failed<0.1%%', 'rate>900',",
            "'SERIES:p99<100' for one series. Given, they replace the scenario's own thresholds; 'none' drops them."})
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--connections", paramLabel = "N", description = "Keep-alive connections requests wait for (default: the scenario's).")
    Integer connections;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "30s",
            description = "Unrecorded load first, so that the JIT has compiled the paths measured (default ${DEFAULT-VALUE}; 0s skips).")
    Duration warmup;

    @Option(names = "--report", paramLabel = "DIR", description = "Where report.md, report.json and report.html go (default load-reports/<scenario>-<time>).")
    Path report;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public Duration duration(Duration otherwise) {
        return duration != null ? duration : otherwise;
    }

    public double rate(double otherwise) {
        return rate != null ? rate : otherwise;
    }

    public int connections(int otherwise) {
        return connections != null ? connections : otherwise;
    }

    /** The thresholds to judge by: the ones given, or the scenario's. */
    public List<Threshold> thresholds(List<String> scenarios) {
        List<String> texts = thresholds.isEmpty() ? scenarios : thresholds;
        if (texts.size() == 1 && texts.getFirst().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Threshold> parsed = new ArrayList<>();
        for (String t : texts) {
            try {
                parsed.add(Threshold.parse(t));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return parsed;
    }

    public Path reportDir(String scenario) {
        return report != null ? report : Path.of("load-reports",
                scenario + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Refuses bad numbers before anything starts (exit 2 with the usage). */
    void check() {
        if (rate != null && !(rate > 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be above 0, got " + rate);
        }
        if (connections != null && connections < 1) {
            throw new ParameterException(spec.commandLine(), "--connections must be at least 1, got " + connections);
        }
        if (duration != null && duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be at least 1s, got " + duration);
        }
    }

    public boolean remote() {
        return url.value != null;
    }

    public String url() {
        return url.value;
    }

    public String apiToken() {
        return apiToken.value;
    }

    /** 90s, 5m, 1h30m, 500ms, or a bare number of seconds. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            Matcher m = PART.matcher(v);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMillis(n);
                });
                end = m.end();
            }
            if (end != v.length() || v.isEmpty()) {
                throw new IllegalArgumentException("'" + value + "' is not a duration: write 90s, 5m, 1h30m or 500ms");
            }
            return total;
        }
    }
}
