package io.steadfast.chaos.scenario;

import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.SendChecker;
import io.steadfast.chaos.Sends;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.TwilioSimulator;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Every database connection terminated, again and again, while WhatsApp, SMS and email messages are accepted and
 * sent, each provider answering a little late so that the kills land between calls and their commits. A request cut
 * off is made again with its key; a send whose commit was lost leaves its message {@code sending}, and the job run
 * again makes it {@code unknown} rather than call twice. The providers' status reports then settle those they took
 * (email has none: an unknown email stays for a person).
 */
public final class SendDbConnectionKill implements Scenario {
    static final int ROUNDS = 5;
    static final Duration SLOW_ANSWERS = Duration.ofMillis(300);

    @Override
    public String name() {
        return "send-db-connection-kill";
    }

    @Override
    public String invariant() {
        return "database connections killed 5 times while WhatsApp, SMS and email messages are accepted and sent: "
                + "no message reaches a provider twice, none is lost, and every one the providers took is settled";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        Traffic from = run.account(true);
        String smsNumber = "+1" + from.phoneNumberId().substring(Math.max(0, from.phoneNumberId().length() - 10));
        String emailFrom = "orders-" + from.phoneNumberId() + "@shop.example";
        run.api().post("/v1/channels", Map.of("sms_number", smsNumber));
        run.api().post("/v1/channels", Map.of("email_from", emailFrom));
        int count = run.scaled(300, 30);
        List<Sends.Send> sends = Sends.mixed(from, "dbkill", "1666", count, smsNumber, emailFrom);
        Sends client = new Sends(run.api());
        cluster.whatsappApi().delayAnswers(SLOW_ANSWERS);
        cluster.smsApi().delayAnswers(SLOW_ANSWERS);
        int killed = 0;
        try {
            CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> client.post(sends, 16));
            for (int round = 1; round <= ROUNDS; round++) {
                int due = count * round / (ROUNDS + 1);
                Poll.until(Duration.ofMinutes(1), "sends being taken", () -> client.takenCalls(ProviderLogs.all(cluster)) >= due);
                killed += cluster.killConnections();
            }
            posting.join();
        } finally {
            cluster.whatsappApi().delayAnswers(Duration.ZERO);
            cluster.smsApi().delayAnswers(Duration.ZERO);
        }
        List<SendChecker.Accepted> first = client.settle(Duration.ofMinutes(2));
        List<Long> unknown = first.stream().flatMap(a -> a.message().stream())
                .filter(m -> m.path("status").asText().equals("unknown")).map(m -> m.path("id").asLong()).toList();
        int reported = 0;
        for (long id : unknown) {
            reported += reportDelivered(run, cluster, from, id) ? 1 : 0;
        }
        int expectReported = reported;
        Poll.within(Duration.ofSeconds(30), () -> stillUnknown(client, unknown) <= unknown.size() - expectReported);
        List<SendChecker.Accepted> settled = client.settle(Duration.ofSeconds(1));
        run.note("terminated " + killed + " connections in " + ROUNDS + " rounds while sending " + count + " messages; "
                + client.retried() + " requests made again with their key; " + unknown.size() + " messages unknown after "
                + "it, " + reported + " settled by their provider's status report");
        Verdict verdict = SendChecker.check(settled, ProviderLogs.all(cluster), true);
        long stuck = stillUnknown(client, unknown) - (unknown.size() - reported);
        if (stuck > 0) {
            verdict = verdict.with("not settled by its status", stuck + " messages are still unknown after the provider "
                    + "reported them delivered");
        }
        for (String refusal : client.refusals()) {
            verdict = verdict.with("send refused", refusal);
        }
        return killed == 0 ? verdict.with("fault did not fire", "no connection was terminated") : verdict;
    }

    /** The provider's report that it delivered message {@code id}, where it took it and has reports (not email). */
    private static boolean reportDelivered(ScenarioRun run, LocalCluster cluster, Traffic from, long id) {
        Optional<WhatsAppCloudSimulator.Call> whatsapp = cluster.whatsappApi().calls().stream()
                .filter(c -> c.taken() && String.valueOf(id).equals(c.callbackData())).findFirst();
        if (whatsapp.isPresent()) {
            Sends.reportDelivered(run.simulator(), from.phoneNumberId(), whatsapp.get());
            return true;
        }
        Optional<TwilioSimulator.Call> sms = cluster.smsApi().calls().stream().filter(TwilioSimulator.Call::taken)
                .filter(c -> c.messageRef().filter(ref -> ref.messageId() == id).isPresent())
                .findFirst();
        return sms.isPresent() && cluster.smsApi().reportStatus(sms.get(), "delivered") == 200;
    }

    private static long stillUnknown(Sends client, List<Long> ids) {
        return ids.stream().map(client::read)
                .filter(m -> m.map(j -> j.path("status").asText().equals("unknown")).orElse(false)).count();
    }
}
