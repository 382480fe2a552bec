package io.steadfast.chaos.scenario;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The provider takes some messages and never answers. Steadfast must not call again (WhatsApp would deliver twice):
 * those messages are {@code unknown} until the status webhook names them.
 */
public final class ProviderTimeout implements Scenario {
    @Override
    public String name() {
        return "provider-timeout";
    }

    @Override
    public String invariant() {
        return "the provider takes a tenth of the messages and never answers: no second call, each unknown until its "
                + "status webhook settles it, the rest sent";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROVIDER_SIMULATORS);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        WhatsAppCloudSimulator provider = run.cluster().whatsappApi();
        Traffic from = run.account(true);
        int count = run.scaled(100, 20);
        List<Sends.Send> sends = Sends.numbered(from, "timeout", "1999", count);
        List<String> silent = new ArrayList<>();
        for (int i = 0; i < sends.size(); i += 10) {
            provider.swallow(sends.get(i).digits());
            silent.add(sends.get(i).digits());
        }
        Sends client = new Sends(run.api());
        client.post(sends, 16);
        List<SendChecker.Accepted> first = client.settle(Duration.ofMinutes(1));
        List<Long> unknown = first.stream().flatMap(a -> a.message().stream())
                .filter(m -> m.path("status").asText().equals("unknown")).map(m -> m.path("id").asLong()).toList();

        var webhooks = run.simulator();
        for (WhatsAppCloudSimulator.Call call : provider.calls()) {
            if (call.taken() && silent.contains(call.to()) && unknown.contains(Long.parseLong(call.callbackData()))) {
                Sends.reportDelivered(webhooks, from.phoneNumberId(), call);
            }
        }
        Poll.within(Duration.ofSeconds(30), () -> unknown.stream().allMatch(id -> client.read(id)
                .map(m -> m.path("status").asText().equals("delivered")).orElse(false)));
        List<SendChecker.Accepted> settled = client.settle(Duration.ofSeconds(1));
        run.note(count + " sends, " + silent.size() + " taken by the provider and never answered: " + unknown.size()
                + " unknown after the " + "time limit, each settled as delivered by its status webhook");
        Verdict verdict = SendChecker.check(settled, ProviderLogs.whatsapp(provider), false);
        if (unknown.size() != silent.size()) {
            verdict = verdict.with("unanswered calls not unknown", unknown.size() + " messages unknown for "
                    + silent.size() + " calls left unanswered");
        }
        return verdict;
    }
}
