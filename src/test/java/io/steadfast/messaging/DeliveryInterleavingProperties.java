package io.steadfast.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.inbox.AppendResult;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.inbox.NewEvent;
import io.steadfast.simulator.WhatsAppPayloads;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import io.steadfast.support.Db;
import io.steadfast.support.Probes;
import io.steadfast.support.TestPostgres;
import io.steadfast.whatsapp.MessageHandler;
import io.steadfast.whatsapp.NotificationParser;
import io.steadfast.whatsapp.StatusHandler;
import io.steadfast.whatsapp.WhatsApp;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A message, its statuses and duplicates of all of them, delivered in any order, stored through the real inbox
 * and applied by the real handlers in batches of any size and any order: one message, at the furthest status.
 */
class DeliveryInterleavingProperties {
    private static final WhatsAppPayloads META = new WhatsAppPayloads("1065403500", "15550000000");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static Db db;
    private static Probes inbox;

    private static synchronized Db db() {
        if (db == null) {
            db = new Db(TestPostgres.freshDatabase());
            inbox = new Probes(db.database().jdbi());
        }
        return db;
    }

    @Provide
    Arbitrary<String> wireStatus() {
        return Arbitraries.of("sent", "delivered", "read", "failed", "deleted");
    }

    @Property(tries = 60)
    void any_interleaving_ends_in_one_message_at_the_furthest_status(
            @ForAll @Size(max = 6) List<@From("wireStatus") String> statuses,
            @ForAll @IntRange(min = 1, max = 3) int copiesOfEach,
            @ForAll @IntRange(min = 1, max = 5) int batchSize,
            @ForAll Random random) {
        Db db = db();
        String wamid = "wamid.I" + RUNS.incrementAndGet();
        NotificationParser parser = new NotificationParser();
        List<byte[]> deliveries = new ArrayList<>();
        for (int copy = 0; copy < copiesOfEach; copy++) {
            deliveries.add(META.messages(List.of(new Message(wamid, "1555", "Q", 1_700_000_000L, "q"))));
            for (String s : statuses) {
                deliveries.add(META.statuses(List.of(new Status(wamid, s, "1555", 1_700_000_100L))));
            }
        }
        Collections.shuffle(deliveries, random);

        int accepted = 0;
        for (byte[] delivery : deliveries) {
            List<NewEvent> events = parser.parse(delivery).events();
            AppendResult r = inbox.append(delivery, events);
            accepted += r.accepted();
            assertThat(r.accepted() + r.duplicates()).isEqualTo(events.size());
        }
        List<InboxEvent> events = storedEvents(db, wamid);
        Collections.shuffle(events, random);
        for (int from = 0; from < events.size(); from += batchSize) {
            List<InboxEvent> batch = events.subList(from, Math.min(events.size(), from + batchSize));
            apply(db, batch);
            if (random.nextInt(4) == 0) {
                apply(db, batch); // handlers are idempotent too, not only the engine around them
            }
        }

        int distinct = new HashSet<>(statuses).size() + 1;
        assertThat(accepted).isEqualTo(distinct);
        assertThat(events).hasSize(distinct);
        MessageStatus furthest = MessageStatus.RECEIVED;
        for (String s : statuses) {
            furthest = MessageStatus.furthest(furthest, MessageStatus.fromWire(s).orElse(MessageStatus.RECEIVED));
        }
        assertThat(db.rows("SELECT status FROM message WHERE external_id = ?", wamid)).containsExactly(Map.of("status", furthest.wire()));
        assertThat(db.count("SELECT count(*) FROM message_status_report WHERE external_id = ?", wamid))
                .isEqualTo(distinct - 1);
    }

    private static List<InboxEvent> storedEvents(Db db, String wamid) {
        List<InboxEvent> events = new ArrayList<>();
        for (Map<String, Object> r : db.rows("SELECT id, source, partition_key, dedup_key, event_type, payload::text AS payload, "
                + "received_at, coalesce(e.body, (SELECT body FROM webhook_request r WHERE r.id = e.request_id)) AS body "
                + "FROM inbox_event e WHERE dedup_key = ? OR dedup_key LIKE ?", wamid, wamid + ":%")) {
            events.add(new InboxEvent((Long) r.get("id"), (String) r.get("source"), (String) r.get("partition_key"),
                    (String) r.get("dedup_key"), (String) r.get("event_type"), (String) r.get("payload"), 1,
                    ((Timestamp) r.get("received_at")).toInstant(), (byte[]) r.get("body")));
        }
        return events;
    }

    /** Like the engine: one transaction per event type in the batch. */
    private static void apply(Db db, List<InboxEvent> batch) {
        Map<String, EventHandler> handlers = Map.of(WhatsApp.MESSAGE_EVENT, new MessageHandler(true),
                WhatsApp.STATUS_EVENT, new StatusHandler(true));
        for (var type : handlers.entrySet()) {
            List<InboxEvent> ofType = batch.stream().filter(e -> e.eventType().equals(type.getKey())).toList();
            if (!ofType.isEmpty()) {
                db.database().jdbi().useTransaction(tx -> type.getValue().handle(ofType, tx));
            }
        }
    }
}
