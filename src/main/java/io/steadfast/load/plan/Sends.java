package io.steadfast.load.plan;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.config.Config;
import io.steadfast.db.Database;
import io.steadfast.json.Json;
import io.steadfast.load.LoadClient;
import io.steadfast.simulator.TwilioSimulator;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;

/** Seed 004 test 2: the sending mix, six in ten on WhatsApp, three email, one SMS. */
@Command(name = "sends", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Seed 004's sending test: POST /v1/messages at --rate (default 1,000/s: 600 WhatsApp, 300 email, 100",
                "SMS a second) for --duration, each request with its own Idempotency-Key, latency of each acceptance",
                "from when it was due. Own Steadfast: the workers send to provider simulators (an SMTP server for",
                "email) and, once everything settled, the providers' own logs are counted: every accepted message sent",
                "once. With --url: the deployment sends with its own settings (point them at simulators, not at real",
                "providers), from the WhatsApp number, SMS number and email sender registered for the operator's",
                "business.",
                "Thresholds: whatsapp and sms p95 < 500 ms, email p95 < 800 ms, failed < 0.1%.",
                ""})
public final class Sends extends PlanScenario {
    private static final String PHONE_NUMBER_ID = "106000000001";

    @Override
    String name() {
        return "sends";
    }

    @Override
    String summary() {
        return "Outbound messages accepted at a fixed rate: WhatsApp, email and SMS in seed 004's 6:3:1 mix.";
    }

    @Override
    List<String> defaultThresholds() {
        return List.of("whatsapp:p95<500", "sms:p95<500", "email:p95<800", "failed<0.1%");
    }

    @Override
    void measure(Report report) {
        double rate = options.rate(1000);
        Duration duration = options.duration(Duration.ofSeconds(60));
        report.configure("duration", duration.toSeconds() + " s").configure("arrival rate", rate(rate)
                + " (6 WhatsApp : 3 email : 1 SMS)");
        if (options.remote()) {
            try (Target target = Target.of(options, out, Map.of())) {
                report.configure("target", target.describe());
                drive(target, report, Profile.constant(rate, duration), rate / 2, mix("Bearer " + target.operatorToken()),
                        List.of("whatsapp", "email", "sms"), options.connections(64));
            }
            return;
        }
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try (WhatsAppCloudSimulator whatsapp = new WhatsAppCloudSimulator(); TwilioSimulator twilio = new TwilioSimulator();
             Target target = Target.of(options, out, Map.of(Config.WHATSAPP_API_URL, whatsapp.baseUrl().toString(),
                     Config.WHATSAPP_ACCESS_TOKEN, WhatsAppCloudSimulator.TOKEN,
                     Config.SMS_API_URL, twilio.baseUrl().toString(),
                     Config.SMS_ACCOUNT_SID, TwilioSimulator.ACCOUNT_SID,
                     Config.SMS_AUTH_TOKEN, TwilioSimulator.AUTH_TOKEN,
                     Config.SMTP_HOST, "127.0.0.1",
                     Config.SMTP_PORT, Integer.toString(smtp.getSmtp().getPort())))) {
            report.configure("target", target.describe() + "; providers: simulators on this machine, which answer at once");
            target.operator().post("/v1/channels", Map.of("phone_number_id", PHONE_NUMBER_ID));
            target.operator().post("/v1/channels", Map.of("sms_number", "+15550600000"));
            target.operator().post("/v1/channels", Map.of("email_from", "orders@bench.example"));
            try (Database owner = Database.connect(target.node().orElseThrow().database().url(), 2, "steadfast-load-sends")) {
                OpenLoad.Traffic traffic = mix("Bearer " + target.operatorToken());
                OpenLoad load = new OpenLoad(target.base(), options.connections(64));
                warmUp(load, report, rate / 2, traffic, List.of("whatsapp", "email", "sms"));
                awaitSettled(owner, 0);
                whatsapp.forget();
                twilio.forget();
                smtp.purgeEmailFromAllMailboxes();
                long first = lastId(owner);
                OpenLoad.Result result = drive(target, report, Profile.constant(rate, duration), 0, traffic,
                        List.of("whatsapp", "email", "sms"), options.connections(64));
                long settling = System.nanoTime();
                awaitSettled(owner, first);
                long accepted = result.stats().stream().mapToLong(Stats::ok).sum();
                long messages = count(owner, first, "true");
                long sent = count(owner, first, "status IN ('sent', 'delivered', 'read')");
                long calls = whatsapp.calls().size() + twilio.calls().size() + smtp.getReceivedMessages().length;
                long taken = ProviderLogs.whatsapp(whatsapp).size() + ProviderLogs.sms(twilio).size()
                        + ProviderLogs.email(smtp).size();
                report.check("every accepted message stored", messages == accepted,
                        String.format("%,d accepted, %,d stored", accepted, messages))
                        .check("every message sent, once", sent == messages && calls == messages && taken == messages,
                                String.format("%,d sent of %,d; %,d provider calls, %,d taken", sent, messages, calls, taken))
                        .note(String.format("The queue was empty %.1f s after the last request was due.",
                                (System.nanoTime() - settling) / 1e9));
            } catch (com.icegreen.greenmail.store.FolderException e) {
                throw new IllegalStateException("could not empty the SMTP server's mailboxes", e);
            }
        } finally {
            smtp.stop();
        }
    }

    /** Message {@code n} of the mix: 0-5 WhatsApp, 6-8 email, 9 SMS, each to an address of its own. */
    private static OpenLoad.Traffic mix(String auth) {
        return (n, second) -> {
            String to = "+1555%07d".formatted(n % 10_000_000);
            int kind = (int) (n % 10);
            String channel = kind >= 6 && kind <= 8 ? "email" : kind == 9 ? "sms" : "whatsapp";
            Map<String, Object> body = switch (channel) {
                case "email" -> Map.of("channel", "email", "to", "c" + n + "@customers.example", "subject", "Order " + n,
                        "text", "Your order " + n + " has shipped.");
                case "sms" -> Map.of("channel", "sms", "to", to, "text", "Order " + n + " shipped");
                default -> Map.of("channel", "whatsapp", "to", to, "text", "Order " + n + " has shipped");
            };
            return new OpenLoad.Request(channel, new LoadClient.Call("/v1/messages",
                    Json.write(body).getBytes(StandardCharsets.UTF_8), "Authorization", auth, "Idempotency-Key",
                    "load-" + n + "-" + RUN));
        };
    }

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private static long lastId(Database owner) {
        return owner.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(max(id), 0) FROM outbound_message")
                .mapTo(Long.class).one());
    }

    private static long count(Database owner, long after, String condition) {
        return owner.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbound_message WHERE id > :after AND "
                + condition).bind("after", after).mapTo(Long.class).one());
    }

    /** Waits (at most 5 minutes) until no message after {@code afterId} is queued or sending. */
    private void awaitSettled(Database owner, long afterId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && count(owner, afterId, "status IN ('queued', 'sending')") > 0) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
