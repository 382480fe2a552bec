package io.steadfast.load;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.config.Config;
import io.steadfast.db.Database;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.TwilioSimulator;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import io.steadfast.terminal.Progress;
import io.steadfast.terminal.Table;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Seed 004's sending mix held for a while: WhatsApp, email and SMS messages accepted at a fixed rate (six, three and
 * one in ten), sent by the workers to the provider simulators (an SMTP server for email). It reports how fast
 * requests were accepted (latency from when each was due, so a queue cannot hide), how long each message took from
 * acceptance to its provider's answer, and the providers' calls per message, counted from their own logs.
 */
final class SendBenchmark {
    private static final String PHONE_NUMBER_ID = "106000000001";
    private static final String SMS_NUMBER = "+15550600000";
    private static final String EMAIL_FROM = "orders@bench.example";

    private final LoadCommand.SendMix options;
    private final PrintStream out = System.out;

    SendBenchmark(LoadCommand.SendMix options) {
        this.options = options;
    }

    void run() {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try (WhatsAppCloudSimulator whatsapp = new WhatsAppCloudSimulator(); TwilioSimulator twilio = new TwilioSimulator();
             OwnNode own = OwnNode.start(out, Map.of(Config.API_RATE_LIMIT, "100000000/s",
                     Config.WHATSAPP_API_URL, whatsapp.baseUrl().toString(),
                     Config.WHATSAPP_ACCESS_TOKEN, WhatsAppCloudSimulator.TOKEN,
                     Config.SMS_API_URL, twilio.baseUrl().toString(),
                     Config.SMS_ACCOUNT_SID, TwilioSimulator.ACCOUNT_SID,
                     Config.SMS_AUTH_TOKEN, TwilioSimulator.AUTH_TOKEN,
                     Config.SMTP_HOST, "127.0.0.1",
                     Config.SMTP_PORT, Integer.toString(smtp.getSmtp().getPort())))) {
            Api operator = new Api(own.base(), own.node().config().apiToken());
            operator.post("/v1/channels", Map.of("phone_number_id", PHONE_NUMBER_ID));
            operator.post("/v1/channels", Map.of("sms_number", SMS_NUMBER));
            operator.post("/v1/channels", Map.of("email_from", EMAIL_FROM));
            String auth = "Bearer " + own.node().config().apiToken();
            try (LoadClient client = new LoadClient(own.base(), options.connections);
                 Database owner = Database.connect(own.node().database().url(), 2, "steadfast-load-sends")) {
                out.printf("  %s%n", Warmup.run(client, n -> send(auth, "warm-" + n, n), "warm-up: sends"));
                awaitSettled(owner, 0);
                Capacity capacity = capacity(own, owner, client, auth);
                whatsapp.forget();
                twilio.forget();
                smtp.purgeEmailFromAllMailboxes();
                long firstMeasured = lastId(owner);
                LoadClient.Outcome accepted = client.openLoop(options.rate, Duration.ofSeconds(options.seconds),
                        n -> send(auth, "bench-" + n, n), new Progress(System.err, "sending at " + options.rate + "/s", "req"));
                awaitSettled(owner, firstMeasured);
                report(owner, firstMeasured, capacity, accepted, ProviderLogs.whatsapp(whatsapp).size()
                        + ProviderLogs.sms(twilio).size() + ProviderLogs.email(smtp).size(),
                        whatsapp.calls().size() + twilio.calls().size() + smtp.getReceivedMessages().length);
            } catch (com.icegreen.greenmail.store.FolderException e) {
                throw new IllegalStateException("could not empty the SMTP server's mailboxes", e);
            }
        } finally {
            smtp.stop();
        }
    }

    /** Each half alone: requests accepted with the workers paused, then that backlog sent with nothing accepted. */
    private record Capacity(double acceptedPerSecond, double sentPerSecond) {
    }

    private Capacity capacity(OwnNode own, Database owner, LoadClient client, String auth) {
        long before = lastId(owner);
        own.node().workers().orElseThrow().pause();
        LoadClient.Outcome accepting;
        try {
            accepting = client.closedLoop(Duration.ofSeconds(options.seconds), n -> send(auth, "alone-" + n, n),
                    new Progress(System.err, "accepting, workers paused", "req"));
        } finally {
            own.node().workers().orElseThrow().resume();
        }
        long started = System.nanoTime();
        awaitSettled(owner, before);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Capacity(accepting.perSecond(), (lastId(owner) - before) / seconds);
    }

    private static long lastId(Database owner) {
        return owner.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(max(id), 0) FROM outbound_message")
                .mapTo(Long.class).one());
    }

    /** Message {@code n} of the mix: 0-5 WhatsApp, 6-8 email, 9 SMS, each to an address of its own. */
    private static LoadClient.Call send(String auth, String key, long n) {
        String to = "+1555%07d".formatted(n % 10_000_000);
        Map<String, Object> body = switch ((int) (n % 10)) {
            case 6, 7, 8 -> Map.of("channel", "email", "to", "c" + n + "@customers.example", "subject", "Order " + n,
                    "text", "Your order " + n + " has shipped.");
            case 9 -> Map.of("channel", "sms", "to", to, "text", "Order " + n + " shipped");
            default -> Map.of("channel", "whatsapp", "to", to, "text", "Order " + n + " has shipped");
        };
        return new LoadClient.Call("/v1/messages", Json.write(body).getBytes(StandardCharsets.UTF_8),
                "Authorization", auth, "Idempotency-Key", key);
    }

    private void report(Database owner, long firstMeasured, Capacity capacity, LoadClient.Outcome accepted, long taken,
                        long calls) {
        record Settled(long messages, long sent, long failed, long unknown, double p50, double p95, double p99,
                       double seconds) {
        }
        Settled s = owner.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) AS messages,
                               count(*) FILTER (WHERE status IN ('sent', 'delivered', 'read')) AS sent,
                               count(*) FILTER (WHERE status = 'failed') AS failed,
                               count(*) FILTER (WHERE status = 'unknown') AS unknown,
                               percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (
                                   ORDER BY extract(epoch FROM sent_at - created_at)) AS latency,
                               extract(epoch FROM max(sent_at) - min(created_at)) AS seconds
                        FROM outbound_message WHERE id > :first
                        """)
                .bind("first", firstMeasured)
                .map((rs, ctx) -> {
                    Double[] p = (Double[]) rs.getArray("latency").getArray();
                    return new Settled(rs.getLong("messages"), rs.getLong("sent"), rs.getLong("failed"),
                            rs.getLong("unknown"), p[0] * 1000, p[1] * 1000, p[2] * 1000, rs.getDouble("seconds"));
                }).one());
        Table table = new Table(2, "measure", "value", "target");
        table.row("accepting alone (workers paused), closed loop", String.format("%,.0f/s", capacity.acceptedPerSecond()),
                "");
        table.row("sending alone (that backlog, nothing accepted)", String.format("%,.0f/s", capacity.sentPerSecond()), "");
        table.row("requests due", String.format("%,d at %,d/s for %d s", (long) options.rate * options.seconds,
                options.rate, options.seconds), "600 WhatsApp + 300 email + 100 SMS /s");
        table.row("accepted (202)", String.format("%,d (%,.0f/s), %,d errors", accepted.ok(), accepted.perSecond(),
                accepted.failed()), "all");
        table.row("accept latency p50 / p95 / p99", String.format("%.1f / %.1f / %.1f ms",
                accepted.latencyMicros().getValueAtPercentile(50) / 1000.0,
                accepted.latencyMicros().getValueAtPercentile(95) / 1000.0,
                accepted.latencyMicros().getValueAtPercentile(99) / 1000.0), "");
        table.row("sent / failed / unknown", String.format("%,d / %,d / %,d", s.sent(), s.failed(), s.unknown()),
                "all sent");
        table.row("sent per second, first accept to last send", String.format("%,.0f", s.sent() / s.seconds()),
                String.format("%,d", options.rate));
        table.row("send latency p50 / p95 / p99 (accepted to the provider's answer)",
                String.format("%.0f / %.0f / %.0f ms", s.p50(), s.p95(), s.p99()), "");
        table.row("provider calls per message", String.format("%.2f (%,d calls, %,d taken, for %,d messages)",
                (double) calls / s.messages(), calls, taken, s.messages()), "1.00");
        out.println();
        out.print(table.render());
        out.printf("%n  %d connections; accept latency counts from when each request was due (open loop). The"
                + " providers are simulators on this machine: they answer at once, so the send latency is Steadfast's"
                + " own (the queue, the workers, the database).%n", options.connections);
    }

    /** Waits until no message after {@code afterId} is queued or sending. */
    private void awaitSettled(Database owner, long afterId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            long open = owner.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbound_message "
                            + "WHERE status IN ('queued', 'sending') AND id > :after")
                    .bind("after", afterId).mapTo(Long.class).one());
            if (open == 0) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        out.println("  (some messages were still queued or sending after 5 minutes)");
    }
}
