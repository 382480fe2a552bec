package io.steadfast.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.simulator.WhatsAppPayloads;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** Send requests as a client makes them (each with its Idempotency-Key), and reading the messages back. */
public final class Sends {
    private static final Set<String> IN_FLIGHT = Set.of("queued", "sending");

    private final Api api;
    private final Map<String, List<Long>> answers = new ConcurrentHashMap<>();
    private static final int MAX_TRIES = 10;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Sends(Api api) {
        this.api = api;
    }

    /** One request: its key, the number it sends to, and its JSON body. */
    public record Send(String key, String to, String body) {
        /** The number as the WhatsApp Cloud API receives it: digits, no plus. */
        public String digits() {
            return to.substring(1);
        }
    }

    /**
     * {@code count} WhatsApp texts from the account, each to a number of its own: the {@code area} digits, the
     * account's last three (so that scenarios never share a number), and the send's index.
     */
    public static List<Send> numbered(Traffic from, String label, String area, int count) {
        String account = from.phoneNumberId();
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String to = "+" + area + account.substring(account.length() - 3) + String.format("%04d", i);
            sends.add(new Send(account + "-" + label + "-" + i, to, Json.write(Map.of("channel", "whatsapp",
                    "from", account, "to", to, "text", label + " " + i + " of " + count))));
        }
        return sends;
    }

    /**
     * {@code count} texts in the mix of a day's sending: six in ten on WhatsApp, three email, one SMS (from the
     * business's {@code smsNumber} and {@code emailFrom}), each to an address of its own as in {@link #numbered}.
     */
    public static List<Send> mixed(Traffic from, String label, String area, int count, String smsNumber, String emailFrom) {
        List<Send> sends = new ArrayList<>();
        for (Send whatsapp : numbered(from, label, area, count)) {
            int i = sends.size();
            String text = label + " " + i + " of " + count;
            sends.add(switch (i % 10) {
                case 6, 7, 8 -> {
                    String to = "c" + whatsapp.digits() + "@customers.example";
                    yield new Send(whatsapp.key(), to, Json.write(Map.of("channel", "email", "from", emailFrom,
                            "to", to, "subject", "Order " + i, "text", text)));
                }
                case 9 -> new Send(whatsapp.key(), whatsapp.to(), Json.write(Map.of("channel", "sms", "from", smsNumber,
                        "to", whatsapp.to(), "text", text)));
                default -> whatsapp;
            });
        }
        return sends;
    }

    /** Posts each send once, {@code concurrency} at a time (all at once when it is their number). */
    public void post(List<Send> sends, int concurrency) {
        try (ExecutorService pool = concurrency >= sends.size() ? Executors.newVirtualThreadPerTaskExecutor()
                : Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory())) {
            sends.forEach(s -> pool.submit(() -> post(s)));
        }
    }

    /** Posts one send; a 503 or 429 is tried again after its Retry-After, with the same key, as a good client does. */
    public void post(Send s) {
        HttpResponse<String> r = api.exchange("POST", "/v1/messages", s.body(), "Idempotency-Key", s.key());
        for (int tries = 1; (r.statusCode() == 503 || r.statusCode() == 429) && tries < MAX_TRIES; tries++) {
            retried.incrementAndGet();
            long wait = r.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,4}"))
                    .map(Long::parseLong).orElse(1L);
            LockSupport.parkNanos(Duration.ofSeconds(Math.min(wait, 5)).toNanos());
            r = api.exchange("POST", "/v1/messages", s.body(), "Idempotency-Key", s.key());
        }
        answers.computeIfAbsent(s.key(), k -> java.util.Collections.synchronizedList(new ArrayList<>()));
        if (r.statusCode() == 202) {
            answers.get(s.key()).add(Json.parse(r.body()).path("id").asLong());
        } else {
            refused.incrementAndGet();
            if (refusals.size() < 5) {
                refusals.add(s.key() + ": " + r.statusCode() + " " + r.body());
            }
        }
    }

    /** Requests made again after a 503 or 429. */
    public long retried() {
        return retried.get();
    }

    public long refused() {
        return refused.get();
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The calls the providers took for this client's messages, of those in {@code taken} ({@link ProviderLogs}). */
    public long takenCalls(List<ProviderLogs.Taken> taken) {
        Set<Long> ours = new java.util.HashSet<>(ids());
        return taken.stream().filter(c -> ours.contains(c.messageId())).count();
    }

    /** The message ids answered, one per key that was accepted. */
    public Collection<Long> ids() {
        return answers.values().stream().filter(l -> !l.isEmpty()).map(List::getFirst).distinct().toList();
    }

    /**
     * Waits until no message is queued or sending (or {@code patience} is over); returns each key with its message.
     * Each message is read on its own: a status list read twice (queued, then sending) can miss a message moving
     * from one to the other between the two reads.
     */
    public List<SendChecker.Accepted> settle(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        Map<Long, Optional<JsonNode>> last = new HashMap<>();
        while (true) {
            for (long id : ids()) {
                Optional<JsonNode> seen = last.get(id);
                if (seen == null || seen.isEmpty() || IN_FLIGHT.contains(seen.get().path("status").asText())) {
                    last.put(id, read(id));
                }
            }
            boolean settled = last.values().stream().allMatch(m -> m.isPresent()
                    && !IN_FLIGHT.contains(m.get().path("status").asText()));
            if (settled || System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        Map<String, List<Long>> copy = new LinkedHashMap<>(answers);
        List<SendChecker.Accepted> accepted = new ArrayList<>();
        copy.forEach((key, ids) -> {
            if (!ids.isEmpty()) {
                accepted.add(new SendChecker.Accepted(key, List.copyOf(ids), read(ids.getFirst())));
            }
        });
        return accepted;
    }

    /**
     * What WhatsApp sends once it delivered a message it took: a {@code delivered} status webhook naming the wamid and
     * our id ({@code biz_opaque_callback_data}), signed and delivered like any webhook.
     */
    public static void reportDelivered(ProviderSimulator webhooks, String phoneNumberId, WhatsAppCloudSimulator.Call call) {
        byte[] body = new WhatsAppPayloads(phoneNumberId, "+1 555 0100").statusOfSent(new WhatsAppPayloads.Status(
                call.wamid(), "delivered", call.to(), System.currentTimeMillis() / 1000), call.callbackData());
        webhooks.deliver(0, new Delivery(phoneNumberId + "-delivered-" + call.callbackData(), phoneNumberId, List.of(),
                List.of(), body));
    }

    /** The message as the API shows it now; empty when it cannot be read. */
    public Optional<JsonNode> read(long id) {
        HttpResponse<String> r = api.exchange("GET", "/v1/messages/" + id, null);
        return r.statusCode() == 200 ? Optional.of(Json.parse(r.body())) : Optional.empty();
    }
}
