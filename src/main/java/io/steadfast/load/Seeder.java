package io.steadfast.load;

import io.steadfast.db.Database;
import io.steadfast.messaging.MessageStatus;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Fills a deployment with businesses, customers, conversations and messages, fast: COPY in chunks, as the database's
 * owner (row-level security does not apply to the owner; every row still names its business). Each business gets a
 * WhatsApp number; each conversation a customer; messages fall on the conversations at random, over the last
 * {@code days} days, customers' and ours, with text from a store's everyday vocabulary and statuses as they end.
 */
public final class Seeder {
    private static final int CHUNK = 20_000;
    public static final String[] WORDS = ("order refund delivery parcel tracking invoice payment card wallet size colour "
            + "return exchange discount coupon shipping address tomorrow today friday morning thanks please hello hi "
            + "yes no maybe where when how much price stock available again soon late early store shop item shirt "
            + "shoes jacket dress bag gift receipt number account password login help support agent problem broken "
            + "missing wrong damaged happy great perfect quick question confirm cancel change update message call back")
            .split(" ");
    private static final MessageStatus[] OUR_STATUSES = {MessageStatus.SENT, MessageStatus.DELIVERED,
            MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.READ, MessageStatus.READ, MessageStatus.FAILED};

    /** How much to make. */
    public record Plan(int businesses, int conversations, long messages, int days) {
    }

    /** What was made. */
    public record Result(List<Long> businessIds, long conversations, long messages, Duration took) {
    }

    private final Database owner;
    private final Random random;
    private final AtomicLong messagesDone = new AtomicLong();

    public Seeder(Database owner, Random random) {
        this.owner = owner;
        this.random = random;
    }

    /** Messages written so far, for a progress bar. */
    public long messagesDone() {
        return messagesDone.get();
    }

    /** Seeds with a progress bar on the terminal. */
    public Result seedShowingProgress(Plan plan) {
        java.util.concurrent.CompletableFuture<Result> seeding = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> seed(plan));
        new io.steadfast.terminal.Progress(System.err, "seeding messages", "messages").whileRunning(seeding::isDone,
                this::messagesDone, plan.messages());
        return seeding.join();
    }

    public Result seed(Plan plan) {
        long start = System.nanoTime();
        String run = Long.toString(Math.abs(random.nextLong()), 36);
        Instant now = Instant.now();
        List<Long> businesses = new ArrayList<>();
        List<long[]> conversations = new ArrayList<>(); // business, conversation
        owner.jdbi().useTransaction(h -> {
            for (int b = 0; b < plan.businesses(); b++) {
                long business = h.createQuery("INSERT INTO business (name) VALUES (:name) RETURNING id")
                        .bind("name", "seed-" + run + "-" + b).mapTo(Long.class).one();
                long channel = h.createQuery("INSERT INTO channel (business_id, kind, account_id, display_name) "
                                + "VALUES (:business, 'whatsapp', :account, '+1 555 0100') RETURNING id")
                        .bind("business", business).bind("account", "seed-" + run + "-" + b).mapTo(Long.class).one();
                businesses.add(business);
                int count = plan.conversations() / plan.businesses() + (b < plan.conversations() % plan.businesses() ? 1 : 0);
                String prefix = business + ",1555" + b + "0";
                copy(h.getConnection(), "customer (business_id, wa_id, name)", count, i -> prefix + i + ",Customer " + i);
                h.createUpdate("INSERT INTO conversation (business_id, customer_id, channel_id, last_message_at) "
                                + "SELECT business_id, id, :channel, :now FROM customer WHERE business_id = :business")
                        .bind("channel", channel).bind("business", business).bind("now", now).execute();
                h.createQuery("SELECT id FROM conversation WHERE business_id = :business ORDER BY id")
                        .bind("business", business).mapTo(Long.class).forEach(id -> conversations.add(new long[] {business, id}));
            }
        });
        long messages = 0;
        while (messages < plan.messages()) {
            int n = (int) Math.min(CHUNK, plan.messages() - messages);
            long first = messages;
            owner.jdbi().useTransaction(h -> copy(h.getConnection(), "message (business_id, conversation_id, external_id, "
                    + "direction, type, text, raw, status, status_rank, provider_timestamp, arrival_seq)", n,
                    i -> message(conversations.get(random.nextInt(conversations.size())), run, first + i, now, plan.days())));
            messages += n;
            messagesDone.set(messages);
        }
        // the tables just loaded, analysed first: planned on the statistics of empty ones, the update below ran for
        // half a minute on a busy machine
        owner.jdbi().useHandle(h -> h.execute("ANALYZE conversation, message"));
        owner.jdbi().useTransaction(h -> {
            h.createUpdate("""
                    UPDATE conversation cv SET last_message_at = m.latest
                    FROM (SELECT business_id, conversation_id, max(provider_timestamp) AS latest FROM message
                          WHERE business_id = ANY(:businesses) GROUP BY business_id, conversation_id) m
                    WHERE cv.business_id = m.business_id AND cv.id = m.conversation_id
                    """).bind("businesses", businesses.toArray(Long[]::new)).execute();
        });
        // what autovacuum would do soon: statistics for the planner, and the search index's pending entries merged
        owner.jdbi().useHandle(h -> {
            h.execute("VACUUM ANALYZE customer");
            h.execute("VACUUM ANALYZE conversation");
            h.execute("VACUUM ANALYZE message");
        });
        return new Result(businesses, conversations.size(), messages, Duration.ofNanos(System.nanoTime() - start));
    }

    private String message(long[] conversation, String run, long n, Instant now, int days) {
        boolean ours = random.nextInt(5) < 2;
        MessageStatus status = ours ? OUR_STATUSES[random.nextInt(OUR_STATUSES.length)] : MessageStatus.RECEIVED;
        Instant at = now.minusMillis((long) (random.nextDouble() * days * 86_400_000L));
        StringBuilder text = new StringBuilder();
        for (int w = 3 + random.nextInt(12); w > 0; w--) {
            text.append(text.isEmpty() ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return conversation[0] + "," + conversation[1] + ",wamid.seed." + run + "." + n + "," + (ours ? "outbound" : "inbound")
                + ",text," + text + ",{}," + status.wire() + "," + status.rank() + "," + at + "," + n;
    }

    interface Row {
        String csv(int i);
    }

    /** COPY {@code count} rows made by {@code row} into {@code table}. */
    private static void copy(Connection connection, String table, int count, Row row) {
        StringBuilder csv = new StringBuilder(count * 120);
        for (int i = 0; i < count; i++) {
            csv.append(row.csv(i)).append('\n');
        }
        try {
            new CopyManager(connection.unwrap(BaseConnection.class))
                    .copyIn("COPY " + table + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("seeding " + table + ": " + e.getMessage(), e);
        }
    }
}
