package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.chaos.SendChecker;
import io.steadfast.chaos.Sends;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Every send repeated with its key, two copies racing and one after: one message and one provider call per key. */
public final class IdempotentSendRetry implements Scenario {
    @Override
    public String name() {
        return "idempotent-send-retry";
    }

    @Override
    public String invariant() {
        return "every send made 3 times with its Idempotency-Key (2 at the same moment, 1 after): one message, one "
                + "answer and one provider call per key";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic from = run.account(true);
        int count = run.scaled(200, 20);
        List<Sends.Send> sends = Sends.numbered(from, "retry", "1666", count);
        Sends client = new Sends(run.api());
        try (ExecutorService racing = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Sends.Send s : sends) {
                racing.submit(() -> client.post(s));
                racing.submit(() -> client.post(s));
            }
        }
        sends.forEach(client::post); // the client that never heard back, trying again
        List<SendChecker.Accepted> accepted = client.settle(Duration.ofMinutes(2));
        long calls = client.takenCalls(ProviderLogs.whatsapp(run.cluster().whatsappApi()));
        run.note(3 * count + " requests for " + count + " keys: " + client.ids().size() + " messages, " + calls
                + " provider calls");
        Verdict verdict = SendChecker.check(accepted, ProviderLogs.whatsapp(run.cluster().whatsappApi()), false);
        if (client.ids().size() != count) {
            verdict = verdict.with("not one message per key", client.ids().size() + " messages for " + count + " keys");
        }
        for (String refusal : client.refusals()) {
            verdict = verdict.with("send refused", refusal);
        }
        return verdict;
    }
}
