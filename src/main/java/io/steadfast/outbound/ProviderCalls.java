package io.steadfast.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** What every HTTP provider shares: one call, and what a failed call means for sending the message again. */
final class ProviderCalls {
    private ProviderCalls() {
    }

    static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Makes the call and reads its answer with {@code answered}. A call that could not connect sent nothing and may be
     * made again; one that connected and got no answer may have been taken, and must not be.
     */
    static SendOutcome send(HttpClient http, HttpRequest request, String provider,
                            Function<HttpResponse<String>, SendOutcome> answered) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new SendOutcome.NotSent("cannot connect to " + provider + " at " + request.uri().getHost() + ": "
                    + e.getMessage(), Optional.empty());
        } catch (IOException e) { // sent, or partly sent, and no answer: the provider may have taken it
            return new SendOutcome.NoAnswer("no answer from " + provider + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.NoAnswer("interrupted while waiting for " + provider);
        }
        return answered.apply(response);
    }

    /** A 429 or a 5xx: the provider did not take the message, and may later; {@code Retry-After} is honoured. */
    static Optional<SendOutcome> notTaken(HttpResponse<String> response, String provider, String text) {
        int status = response.statusCode();
        if (status != 429 && status / 100 != 5) {
            return Optional.empty();
        }
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                .filter(v -> v.matches("\\d{1,6}")).map(v -> Duration.ofSeconds(Long.parseLong(v)));
        return Optional.of(new SendOutcome.NotSent(provider + " answered " + status + ": " + text, retryAfter));
    }

    /**
     * Calls {@code call} for each item, all at once on virtual threads, and returns the results in order; an item
     * whose call threw gets {@code failed} of what it threw.
     */
    static <T, R> List<R> inParallel(List<T> items, Function<T, R> call, Function<Exception, R> failed) {
        if (items.size() == 1) {
            return List.of(call.apply(items.getFirst()));
        }
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = items.stream().map(item -> calls.submit(() -> call.apply(item))).toList();
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (Exception e) {
                    results.add(failed.apply(e));
                }
            }
            return results;
        }
    }

    static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
