package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.chaos.SendChecker;
import io.steadfast.chaos.Sends;
import io.steadfast.chaos.Verdict;
import io.steadfast.outbound.GuardedProvider;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The provider answers 503 to everything for a while: messages wait (the circuit opens), then all go, once each. */
public final class ProviderOutage implements Scenario {
    static final Duration OUTAGE = Duration.ofSeconds(8);

    @Override
    public String name() {
        return "provider-outage";
    }

    @Override
    public String invariant() {
        return "the provider answers 503 to every call for " + OUTAGE.toSeconds() + " s: the circuit opens and messages "
                + "wait (at least " + GuardedProvider.OPEN_FOR.toSeconds() + " s) instead of failing, then every one is "
                + "sent, one call taken each";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        WhatsAppCloudSimulator provider = run.cluster().whatsappApi();
        Traffic from = run.account(true);
        int count = run.scaled(60, 20);
        List<Sends.Send> sends = Sends.numbered(from, "outage", "1444", count);
        int before = provider.calls().size();
        provider.unavailableFor(OUTAGE);
        Sends client = new Sends(run.api());
        long started = System.nanoTime();
        client.post(sends, 16);
        List<SendChecker.Accepted> accepted = client.settle(Duration.ofMinutes(3));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        long refusedCalls = provider.calls().subList(before, provider.calls().size()).stream()
                .filter(c -> c.outcome().equals("unavailable")).count();
        run.note(count + " sends while the provider answered 503 to " + refusedCalls + " calls; all settled after "
                + waited.toSeconds() + " s, none failed");
        Verdict verdict = SendChecker.check(accepted, ProviderLogs.whatsapp(provider), false);
        if (refusedCalls == 0) {
            verdict = verdict.with("fault did not fire", "no call was answered 503");
        }
        if (waited.compareTo(GuardedProvider.OPEN_FOR) < 0) {
            verdict = verdict.with("circuit did not open", "the messages settled in " + waited.toMillis() + " ms, less "
                    + "than an open circuit makes them wait");
        }
        return verdict;
    }
}
