package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.JavaProcess;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.chaos.SendChecker;
import io.steadfast.chaos.Sends;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The worker sending a batch is killed with {@code kill -9} while its provider calls wait for their answers. Its
 * messages may have reached the provider: they must not be sent again. They end {@code unknown}, and the status
 * webhooks WhatsApp then sends (naming our id) settle them.
 */
public final class SenderKill9 implements Scenario {
    static final Duration SLOW_ANSWERS = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "sender-kill-9";
    }

    @Override
    public String invariant() {
        return "the sending worker killed with kill -9 between its provider calls and its commit: no message sent twice, "
                + "its messages unknown until their status webhooks settle them";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        WhatsAppCloudSimulator provider = cluster.whatsappApi();
        Traffic from = run.account(true);
        int count = run.scaled(100, 20);
        List<Sends.Send> sends = Sends.numbered(from, "kill", "1777", count);
        Sends client = new Sends(run.api());
        provider.delayAnswers(SLOW_ANSWERS); // calls hang for a second: a worker is caught mid-call
        JavaProcess victim;
        try {
            client.post(sends, 16);
            Poll.until(Duration.ofMinutes(1), "the provider taking calls", () -> client.takenCalls(ProviderLogs.whatsapp(provider)) > 0);
            victim = cluster.workerHoldingLeases().orElseThrow(() -> new IllegalStateException("no worker holds a batch"));
            cluster.killWorker(victim);
        } finally {
            provider.delayAnswers(Duration.ZERO);
        }
        List<SendChecker.Accepted> first = client.settle(Duration.ofMinutes(2));
        List<Long> unknown = first.stream().flatMap(a -> a.message().stream())
                .filter(m -> m.path("status").asText().equals("unknown")).map(m -> m.path("id").asLong()).toList();

        Map<String, WhatsAppCloudSimulator.Call> taken = provider.calls().stream().filter(WhatsAppCloudSimulator.Call::taken)
                .collect(Collectors.toMap(WhatsAppCloudSimulator.Call::callbackData, c -> c, (a, b) -> a));
        var webhooks = run.simulator();
        int settledByWebhook = 0;
        for (long id : unknown) {
            WhatsAppCloudSimulator.Call call = taken.get(String.valueOf(id));
            if (call != null) { // WhatsApp had it: its status webhook comes, naming our id
                Sends.reportDelivered(webhooks, from.phoneNumberId(), call);
                settledByWebhook++;
            }
        }
        int settledCount = settledByWebhook;
        Poll.within(Duration.ofSeconds(30), () -> stillUnknownWithACall(client, unknown, taken) == 0);
        List<SendChecker.Accepted> settled = client.settle(Duration.ofSeconds(1));
        long neverCalled = unknown.stream().filter(id -> !taken.containsKey(String.valueOf(id))).count();
        run.note("killed worker pid " + victim.pid() + " (kill -9) mid-call; " + unknown.size() + " messages unknown after it, "
                + settledCount + " settled by their status webhook, " + neverCalled + " never reached the provider and "
                + "stay unknown for a person to decide");
        Verdict verdict = SendChecker.check(settled, ProviderLogs.whatsapp(provider), true);
        long stuck = stillUnknownWithACall(client, unknown, taken);
        if (stuck > 0) {
            verdict = verdict.with("not settled by its status", stuck + " messages the provider took are still unknown "
                    + "after their status webhook");
        }
        if (unknown.isEmpty()) {
            verdict = verdict.with("fault did not fire", "no message was left unknown by the kill");
        }
        return verdict;
    }

    private static long stillUnknownWithACall(Sends client, List<Long> unknown,
                                              Map<String, WhatsAppCloudSimulator.Call> taken) {
        return unknown.stream().filter(id -> taken.containsKey(String.valueOf(id)))
                .map(client::read).filter(m -> m.map(JsonNode::toString).orElse("").contains("\"status\":\"unknown\""))
                .count();
    }
}
