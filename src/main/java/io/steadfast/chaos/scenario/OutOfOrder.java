package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import io.steadfast.simulator.WhatsAppPayloads.Status;
import java.util.List;
import java.util.Set;

/** One conversation's messages and statuses, batched, shuffled and partly duplicated. */
public final class OutOfOrder implements Scenario {
    @Override
    public String name() {
        return "out-of-order";
    }

    @Override
    public String invariant() {
        return "100 messages of one conversation and their statuses, shuffled: read back in provider order, "
                + "each status at its furthest";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Traffic traffic = run.account(true);
        List<Message> messages = traffic.messages(run.scaled(100, 10), 1);
        List<Status> statuses = traffic.statuses(messages, 0.6);
        List<Delivery> deliveries = traffic.withDuplicates(traffic.shuffledBatches(messages, statuses, 5), 0.1);
        run.note(messages.size() + " messages and " + statuses.size() + " statuses in " + deliveries.size()
                + " shuffled deliveries");
        run.send(deliveries, 8);
        return run.drainAndCheck(Expectations.none());
    }
}
