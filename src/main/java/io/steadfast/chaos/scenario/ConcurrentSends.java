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

/** A thousand messages sent at once, each with its own key: a thousand provider calls, no more, no fewer. */
public final class ConcurrentSends implements Scenario {
    @Override
    public String name() {
        return "concurrent-sends-1000";
    }

    @Override
    public String invariant() {
        return "1,000 WhatsApp sends at once: every one accepted, sent, and exactly 1,000 calls at the provider";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic from = run.account(true);
        int count = run.scaled(1000, 50);
        List<Sends.Send> sends = Sends.numbered(from, "send", "1555", count);
        Sends client = new Sends(run.api());
        long started = System.nanoTime();
        client.post(sends, count);
        List<SendChecker.Accepted> accepted = client.settle(Duration.ofMinutes(2));
        run.note(count + " sends at once: " + accepted.size() + " accepted in "
                + (System.nanoTime() - started) / 1_000_000 + " ms until all settled; " + client.retried()
                + " requests answered 503 (the node's connections all busy) and made again with their key; "
                + client.refused() + " refused for good");
        Verdict verdict = SendChecker.check(accepted, ProviderLogs.whatsapp(run.cluster().whatsappApi()), false);
        long calls = client.takenCalls(ProviderLogs.whatsapp(run.cluster().whatsappApi()));
        if (calls != count) {
            verdict = verdict.with("provider calls are not one per message", calls + " calls taken for " + count + " messages");
        }
        for (String refusal : client.refusals()) {
            verdict = verdict.with("send refused", refusal);
        }
        return verdict;
    }
}
