package io.steadfast.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The latest reports of {@code steadfast chaos} and {@code steadfast load}, found where those commands write them by
 * default ({@code chaos-reports/<time>/}, {@code load-reports/<scenario>-<time>/}), under STEADFAST_REPORTS_DIR (the
 * working directory unless set).
 */
public final class Reports {
    public static final int LATEST = 5;
    /** A run's folder name: no separator, and no leading dot, so neither "." nor ".." leaves the reports' folder. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    private final Map<String, Path> directories;

    public Reports(Path chaos, Path load) {
        this.directories = Map.of("chaos", chaos, "load", load);
    }

    /** The reports in {@code dir}'s chaos-reports/ and load-reports/, where the commands put them when run there. */
    public static Reports under(Path dir) {
        return new Reports(dir.resolve("chaos-reports"), dir.resolve("load-reports"));
    }

    /** A report's summary: which run, when, whether it passed, and what was run. */
    public record Report(String kind, String name, Instant at, boolean passed, String title) {
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", kind);
            json.put("name", name);
            json.put("at", at.toString());
            json.put("passed", passed);
            json.put("title", title);
            json.put("html", "/v1/reports/" + kind + "/" + name);
            return json;
        }
    }

    /** The newest {@link #LATEST} reports of each kind, newest first; chaos before load. */
    public List<Report> latest() {
        return Stream.of("chaos", "load").flatMap(kind -> latest(kind).stream()).toList();
    }

    private List<Report> latest(String kind) {
        Path dir = directories.get(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> runs = Files.list(dir)) {
            return runs.filter(run -> Files.isRegularFile(run.resolve("report.json")))
                    .sorted(Comparator.comparing(Reports::modified).reversed())
                    .limit(LATEST)
                    .flatMap(run -> read(kind, run).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Report> read(String kind, Path run) {
        try {
            JsonNode json = Json.MAPPER.readTree(run.resolve("report.json").toFile());
            boolean passed = kind.equals("chaos") ? json.path("verdict").asText().equals("pass")
                    : json.path("passed").asBoolean();
            String title = kind.equals("chaos") ? json.path("command").asText("steadfast chaos")
                    : "steadfast load " + json.path("scenario").asText();
            return Optional.of(new Report(kind, run.getFileName().toString(), modified(run), passed, title));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a run still writing, or not a report: not listed
        }
    }

    private static Instant modified(Path run) {
        try {
            return Files.getLastModifiedTime(run.resolve("report.json")).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** The HTML of one report; 404 for a kind, a name or a report that is not there. */
    public String html(String kind, String name) {
        Path dir = directories.get(kind);
        if (dir == null || !NAME.matcher(name).matches() || !Files.isRegularFile(dir.resolve(name).resolve("report.html"))) {
            throw InvalidRequestException.notFound("no " + kind + " report is named " + name
                    + "; GET /v1/reports lists them");
        }
        try {
            return Files.readString(dir.resolve(name).resolve("report.html"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
