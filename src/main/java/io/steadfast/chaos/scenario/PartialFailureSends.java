package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.ProviderLogs;
import io.steadfast.chaos.SendChecker;
import io.steadfast.chaos.Sends;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppCloudSimulator;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A fifth of the messages go to numbers the provider rejects: those fail with its reason, the rest are sent. */
public final class PartialFailureSends implements Scenario {
    @Override
    public String name() {
        return "partial-failure-sends";
    }

    @Override
    public String invariant() {
        return "20% of sends to numbers the provider rejects: exactly those failed, each with the provider's code and "
                + "text, the other 80% sent, one call each";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        WhatsAppCloudSimulator provider = run.cluster().whatsappApi();
        Traffic from = run.account(true);
        int count = run.scaled(200, 20);
        List<Sends.Send> sends = Sends.numbered(from, "partial", "1888", count);
        Set<String> rejectedKeys = new HashSet<>();
        for (Sends.Send s : sends) {
            if (run.random().nextInt(5) == 0) {
                provider.invalid(s.digits());
                rejectedKeys.add(s.key());
            }
        }
        Sends client = new Sends(run.api());
        client.post(sends, 16);
        List<SendChecker.Accepted> accepted = client.settle(Duration.ofMinutes(1));
        Verdict verdict = SendChecker.check(accepted, ProviderLogs.whatsapp(provider), false);
        long failed = 0;
        for (SendChecker.Accepted a : accepted) {
            String status = a.message().map(m -> m.path("status").asText()).orElse("");
            boolean shouldFail = rejectedKeys.contains(a.key());
            failed += status.equals("failed") ? 1 : 0;
            if (shouldFail != status.equals("failed")) {
                verdict = verdict.with("wrong outcome", a.key() + " ended " + status + " but its number "
                        + (shouldFail ? "is" : "is not") + " rejected by the provider");
            } else if (shouldFail && !a.message().get().path("error").path("code").asText().equals("131026")) {
                verdict = verdict.with("provider reason lost", a.key() + " failed without the provider's code: "
                        + a.message().get().path("error"));
            }
        }
        run.note(count + " sends, " + rejectedKeys.size() + " to rejected numbers: " + failed + " failed with the "
                + "provider's code 131026 and text, " + (accepted.size() - failed) + " sent");
        return verdict;
    }
}
