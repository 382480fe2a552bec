package io.steadfast.chaos.scenario;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.DashboardChecker;
import io.steadfast.chaos.DashboardClient;
import io.steadfast.chaos.History;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.LocalCluster.ApiNode;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.ProviderSimulator;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.Sendable;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Dashboards as the browser runs them, while messages and order updates flow: each connects without a cursor, reads
 * the state once the feed says ready, and applies what is pushed after. The node serving half of them is killed with
 * kill -9 and PostgreSQL restarts; they connect again, each time reading afresh. Whatever was committed between a
 * connection's loss and the next read must still be on their screens.
 */
public final class DashboardView implements Scenario {
    static final int CLIENTS = 4;
    static final int ORDERS = 3;
    static final Duration CATCH_UP = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "dashboard-view";
    }

    @Override
    public String invariant() {
        return "dashboards that reconnect without a cursor (a node kill -9, a database restart, random drops) and read "
                + "the state when the feed says ready show every acknowledged message and every order's final version";
    }

    @Override
    public Set<Need> needs() {
        return Set.of(Need.PROCESS_CONTROL, Need.SHOPIFY_SECRET);
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        LocalCluster cluster = run.cluster();
        URI main = cluster.baseUrl();
        ApiNode doomed = cluster.startApiNode();
        Traffic traffic = run.account(true);
        String shop = run.shop(true);
        List<Message> messages = traffic.messages(run.scaled(150, 30), 20);
        MixedTraffic mixed = MixedTraffic.of(run, traffic, messages, shop, ORDERS);
        List<Sendable> deliveries = mixed.all();
        List<ShopifyDelivery> orderDeliveries = mixed.orders();
        Set<Long> orderIds = new HashSet<>();
        for (int o = 0; o < ORDERS; o++) {
            orderIds.add(run.orderId(o));
        }

        List<DashboardClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new DashboardClient(run.api(), i % 2 == 0 ? doomed.baseUrl() : main, traffic.phoneNumberId(),
                        orderIds));
            }
            run.sendDuring(deliveries, 8, Duration.ofSeconds(4), simulator -> {
                int total = deliveries.size();
                ScenarioRun.awaitFinished(simulator, total / 4);
                doomed.process().killHard();
                for (int i = 0; i < CLIENTS; i += 2) {
                    clients.get(i).connect(main);
                }
                run.note("killed the API node serving dashboards 0 and 2 (kill -9, pid " + doomed.process().pid()
                        + "); they connected to the other node and read the state again");
                reconnectOne(run, clients, main, simulator, total / 2);
                long started = System.nanoTime();
                cluster.restartDatabase();
                run.note("PostgreSQL restarted in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                reconnectOne(run, clients, main, simulator, 3 * total / 4);
            });

            Verdict stored = run.drainAndCheck(Expectations.none());
            Verdict orders;
            try (LiveClient replay = LiveClient.connect(main, run.api().token(), "?since=0")) {
                orders = run.drainAndCheckOrders(orderDeliveries, replay);
            }
            Set<String> acknowledged = acknowledged(run, messages);
            Map<Long, Integer> finalVersions = new TreeMap<>();
            for (long id : orderIds) {
                finalVersions.put(id, run.api().get("/v1/orders/" + id).path("version").asInt());
            }
            Verdict views = Poll.settle(CATCH_UP, () -> DashboardChecker.check(clients, acknowledged, finalVersions),
                    Verdict::passed);
            run.note("dashboards' connections: " + clients.stream().map(c -> Integer.toString(c.sessions()))
                    .collect(Collectors.joining(", ")) + "; " + acknowledged.size() + " acknowledged messages and "
                    + finalVersions.size() + " orders' final versions checked on each");
            return stored.and(orders).and(views);
        } finally {
            clients.forEach(DashboardClient::close);
        }
    }

    private static void reconnectOne(ScenarioRun run, List<DashboardClient> clients, URI main,
                                     ProviderSimulator simulator, long after) {
        ScenarioRun.awaitFinished(simulator, after);
        int which = run.random().nextInt(CLIENTS);
        clients.get(which).connect(main);
        run.note("dashboard " + which + " dropped its connection and connected again, reading the state afresh");
    }

    private static Set<String> acknowledged(ScenarioRun run, List<Message> messages) {
        Map<String, History.Outcome> outcomes = run.history().outcomes();
        return messages.stream().map(Message::wamid).filter(w -> outcomes.get(w) == History.Outcome.OK)
                .collect(Collectors.toSet());
    }
}
