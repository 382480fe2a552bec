package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.FeedChecker;
import io.steadfast.chaos.History;
import io.steadfast.chaos.LocalCluster;
import io.steadfast.chaos.LocalCluster.ApiNode;
import io.steadfast.chaos.Poll;
import io.steadfast.chaos.ProviderSimulator;
import io.steadfast.chaos.ResumingClient;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.Sendable;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Dashboards on /v1/sync while messages and order updates flow and the deployment is hurt: the node serving half of
 * them is killed with kill -9 (they resume on another with their cursors), PostgreSQL restarts, a worker is killed,
 * and clients drop and resume at random.
 */
public final class LiveFeed implements Scenario {
    static final int CLIENTS = 4;
    static final int ORDERS = 4;
    static final Duration CATCH_UP = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "live-feed";
    }

    @Override
    public String invariant() {
        return "live clients through a node kill -9, a database restart, a worker kill and reconnects: every committed "
                + "change reaches every client at least once, each entity's changes in seq order";
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
        List<Message> messages = traffic.messages(run.scaled(150, 30) + 1, 20);
        Map<Integer, ResumingClient> clients = new LinkedHashMap<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.put(i, new ResumingClient(i % 2 == 0 ? doomed.baseUrl() : main, run.api().token()));
            }
            long since = awaitMarker(run, traffic.oneEach(messages.subList(0, 1)), clients.values());

            List<Message> rest = messages.subList(1, messages.size());
            MixedTraffic mixed = MixedTraffic.of(run, traffic, rest, shop, ORDERS);
            List<Sendable> deliveries = mixed.all();
            List<ShopifyDelivery> orderDeliveries = mixed.orders();

            run.sendDuring(deliveries, 8, Duration.ofSeconds(4), simulator -> {
                int total = deliveries.size();
                ScenarioRun.awaitFinished(simulator, total / 5);
                doomed.process().killHard();
                for (int i = 0; i < CLIENTS; i += 2) {
                    clients.get(i).resume(main);
                }
                run.note("killed the API node serving clients 0 and 2 (kill -9, pid " + doomed.process().pid()
                        + "); they resumed on the other node");
                resumeOne(run, clients, main, simulator, 2 * total / 5);
                long started = System.nanoTime();
                cluster.restartDatabase();
                run.note("PostgreSQL restarted in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                resumeOne(run, clients, main, simulator, 3 * total / 5);
                cluster.killWorker(cluster.workers().getFirst());
                run.note("killed a worker with kill -9");
                resumeOne(run, clients, main, simulator, 4 * total / 5);
            });

            Verdict stored = run.drainAndCheck(Expectations.none());
            try (LiveClient replay = LiveClient.connect(main, run.api().token(), "?since=" + since)) {
                Verdict orders = run.drainAndCheckOrders(orderDeliveries, replay);
                FeedChecker.Made made = made(run, rest, orderDeliveries); // the marker came before the replay's cursor
                FeedChecker.Result feed = awaitFeed(made, replay, clients);
                run.note("clients' sessions: " + clients.values().stream().map(c -> Integer.toString(c.sessions()))
                        .collect(Collectors.joining(", ")) + "; " + feed.verdict().events() + " changes checked, " + feed.repeats()
                        + " of them received again after a reconnect (allowed: seq identifies them)");
                return stored.and(orders).and(feed.verdict());
            }
        } finally {
            clients.values().forEach(ResumingClient::close);
        }
    }

    /** Sends one message and waits until every client has it; returns the lowest cursor they got with it. */
    private static long awaitMarker(ScenarioRun run, List<? extends Sendable> marker, Iterable<ResumingClient> clients) {
        run.send(marker, 1);
        long since = Long.MAX_VALUE;
        for (ResumingClient client : clients) {
            Poll.until(CATCH_UP, "a live client's first message", () -> client.lastCursor().isPresent());
            since = Math.min(since, client.lastCursor().get());
        }
        return since;
    }

    private static void resumeOne(ScenarioRun run, Map<Integer, ResumingClient> clients, URI main,
                                  ProviderSimulator simulator, long after) {
        ScenarioRun.awaitFinished(simulator, after);
        int which = run.random().nextInt(CLIENTS);
        clients.get(which).resume(main);
        run.note("client " + which + " dropped its connection and resumed from its cursor");
    }

    private static FeedChecker.Made made(ScenarioRun run, List<Message> messages, List<ShopifyDelivery> orders) {
        Map<String, History.Outcome> outcomes = run.history().outcomes();
        Set<String> all = messages.stream().map(Message::wamid).collect(Collectors.toSet());
        Set<String> acknowledged = all.stream().filter(w -> outcomes.get(w) == History.Outcome.OK)
                .collect(Collectors.toSet());
        Map<Long, Integer> finalVersions = new TreeMap<>();
        for (long id : orders.stream().map(d -> d.version().orderId()).collect(Collectors.toSet())) {
            try {
                finalVersions.put(id, run.api().get("/v1/orders/" + id).path("version").asInt());
            } catch (Api.ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        return new FeedChecker.Made(acknowledged, all, finalVersions);
    }

    /** Gives every client until {@link #CATCH_UP} to hold everything the replay holds, then judges. */
    private static FeedChecker.Result awaitFeed(FeedChecker.Made made, LiveClient replay, Map<Integer, ResumingClient> clients) {
        return Poll.settle(CATCH_UP, () -> {
            Map<String, List<JsonNode>> received = new HashMap<>();
            clients.forEach((i, c) -> received.put("client " + i, c.received()));
            return FeedChecker.check(made, replay.received(), received);
        }, result -> result.verdict().passed());
    }
}
