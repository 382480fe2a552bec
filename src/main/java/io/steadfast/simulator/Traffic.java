package io.steadfast.simulator;

import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What a provider account has to tell: customers' messages with distinct provider timestamps, the delivery
 * statuses that follow them, and the webhook requests that carry them, batched and shuffled. Every choice comes
 * from the random source, so a seed replays the same traffic.
 */
public final class Traffic {
    /** Provider time of the first message; later ones follow a few seconds apart. */
    static final long FIRST_TIMESTAMP = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final List<String> PROGRESSION = List.of("sent", "delivered", "read");

    private final String phoneNumberId;
    private final Random random;
    private int deliveries;

    public Traffic(String phoneNumberId, Random random) {
        this.phoneNumberId = phoneNumberId;
        this.random = random;
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    /** {@code count} messages from {@code customers} customers, in provider-time order. */
    public List<Message> messages(int count, int customers) {
        List<Message> messages = new ArrayList<>(count);
        long timestamp = FIRST_TIMESTAMP;
        for (int i = 0; i < count; i++) {
            timestamp += 1 + random.nextInt(5);
            int customer = random.nextInt(Math.max(1, customers));
            String waId = "1555" + phoneNumberId.substring(Math.max(0, phoneNumberId.length() - 4)) + String.format("%04d", customer);
            messages.add(new Message("wamid.chaos." + phoneNumberId + "." + i, waId, "Customer " + customer, timestamp,
                    "message " + i + " of " + count));
        }
        return messages;
    }

    /**
     * For a share of the messages, the statuses that follow them: sent, then delivered, then read, each a few
     * seconds later; one in ten stops at failed instead of read.
     */
    public List<Status> statuses(List<Message> messages, double share) {
        List<Status> statuses = new ArrayList<>();
        for (Message m : messages) {
            if (random.nextDouble() >= share) {
                continue;
            }
            int reached = 1 + random.nextInt(PROGRESSION.size());
            long at = m.timestampSeconds();
            for (int i = 0; i < reached; i++) {
                at += 1 + random.nextInt(3);
                statuses.add(new Status(m.wamid(), PROGRESSION.get(i), m.fromWaId(), at));
            }
            if (reached == PROGRESSION.size() - 1 && random.nextInt(10) == 0) {
                statuses.add(new Status(m.wamid(), "failed", m.fromWaId(), at + 1));
            }
        }
        return statuses;
    }

    /** One delivery per message, in the order given. */
    public List<Delivery> oneEach(List<Message> messages) {
        return messages.stream().map(m -> delivery(List.of(m), List.of())).toList();
    }

    /**
     * Messages and statuses shuffled together, then cut into deliveries of 1 to {@code maxPerDelivery} events, the
     * way Meta batches several changes into one request.
     */
    public List<Delivery> shuffledBatches(List<Message> messages, List<Status> statuses, int maxPerDelivery) {
        List<Object> events = new ArrayList<>(messages);
        events.addAll(statuses);
        Collections.shuffle(events, random);
        List<Delivery> result = new ArrayList<>();
        for (int i = 0; i < events.size(); ) {
            int size = Math.min(events.size() - i, 1 + random.nextInt(maxPerDelivery));
            List<Message> ms = new ArrayList<>();
            List<Status> ss = new ArrayList<>();
            for (Object e : events.subList(i, i + size)) {
                if (e instanceof Message m) {
                    ms.add(m);
                } else {
                    ss.add((Status) e);
                }
            }
            result.add(delivery(ms, ss));
            i += size;
        }
        return result;
    }

    /**
     * Everyday traffic: {@code count} messages from {@code customers} customers, statuses for about a third of them,
     * all shuffled into deliveries of 1 to {@code maxPerDelivery} events.
     */
    public List<Delivery> everyday(int count, int customers, int maxPerDelivery) {
        List<Message> messages = messages(count, customers);
        return shuffledBatches(messages, statuses(messages, 0.3), maxPerDelivery);
    }

    /** Each delivery once, plus a copy of a share of them, all in random order: at-least-once delivery. */
    public List<Delivery> withDuplicates(List<Delivery> deliveries, double share) {
        List<Delivery> result = new ArrayList<>(deliveries);
        for (Delivery d : deliveries) {
            if (random.nextDouble() < share) {
                result.add(d);
            }
        }
        Collections.shuffle(result, random);
        return result;
    }

    private Delivery delivery(List<Message> messages, List<Status> statuses) {
        return Delivery.of(phoneNumberId + "-d" + (deliveries++), phoneNumberId, messages, statuses);
    }
}
