package io.steadfast.chaos;

import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.fault.Fault;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.LiveClient;
import io.steadfast.simulator.Sendable;
import io.steadfast.simulator.ShopifyDelivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.terminal.Progress;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * What a scenario works with: the deployment (its API, and its processes when this command owns them), a random
 * source derived from the seed, the history of everything sent, and the scale.
 */
public final class ScenarioRun {
    private final String phonePrefix;
    private final Random random;
    private final double scale;
    private final Api api;
    private final URI baseUrl;
    private final Sendable.Secrets secrets;
    private final Optional<LocalCluster> cluster;
    private final Duration drainTimeout;
    private final PrintStream out;
    private final History history = new History();
    private final List<String> notes = new ArrayList<>();
    private final List<String> partitions = new ArrayList<>();
    private final List<String> shops = new ArrayList<>();
    private final List<ProviderSimulator> simulators = Collections.synchronizedList(new ArrayList<>());
    private int accounts;

    /** Made by the suite for each scenario it runs. */
    public ScenarioRun(String phonePrefix, Random random, double scale, Api api, URI baseUrl, Sendable.Secrets secrets,
                       Optional<LocalCluster> cluster, Duration drainTimeout, PrintStream out) {
        this.phonePrefix = phonePrefix;
        this.random = random;
        this.scale = scale;
        this.api = api;
        this.baseUrl = baseUrl;
        this.secrets = secrets;
        this.cluster = cluster;
        this.drainTimeout = drainTimeout;
        this.out = out;
    }

    /** {@code base} grown by the scale, never below {@code min}. */
    public int scaled(int base, int min) {
        return (int) Math.max(min, Math.round(base * scale));
    }

    public Random random() {
        return random;
    }

    public History history() {
        return history;
    }

    public Api api() {
        return api;
    }

    public LocalCluster cluster() {
        return cluster.orElseThrow(() -> new IllegalStateException(Scenario.Need.PROCESS_CONTROL.reason()));
    }

    /** A line for the report: what the scenario did to the deployment. */
    public void note(String line) {
        notes.add(line);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Traffic of a provider account of its own (a fresh phone_number_id), so scenarios never see each other's
     * events, even on a shared deployment. {@code registered}: the channel is registered before anything is sent.
     */
    public Traffic account(boolean registered) {
        return registered ? account(api) : newAccount();
    }

    /** Traffic of an account of its own, registered to the business {@code owner}'s credential acts for. */
    public Traffic account(Api owner) {
        return registered(owner, newAccount());
    }

    private static Traffic registered(Api owner, Traffic traffic) {
        owner.post("/v1/channels", Map.of("phone_number_id", traffic.phoneNumberId(), "display_phone_number", "+1 555 0100"));
        return traffic;
    }

    private Traffic newAccount() {
        String phoneNumberId = phonePrefix + accounts++;
        partitions.add(phoneNumberId);
        return new Traffic(phoneNumberId, random);
    }

    /** A new business with its admin key, named after this run so that runs never share one. */
    public Api newBusiness(String name, Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("name", name + " " + phonePrefix + "-" + random.nextInt(1_000_000));
        return api.as(api.post("/v1/businesses", body).path("api_key").asText());
    }

    /**
     * Sends {@code webhooks} messages of a registered account that nothing records or checks, and waits until they
     * are applied: the deployment is then as a provider's burst finds it, running for a while and its webhook path
     * compiled, rather than minutes old.
     */
    public void warmUp(int webhooks) {
        Traffic traffic = registered(api, new Traffic(phonePrefix + accounts++, new Random(webhooks)));
        List<Delivery> deliveries = traffic.oneEach(traffic.messages(webhooks, 50));
        send(track(new ProviderSimulator(baseUrl, secrets, new History())), deliveries, 50, "warming up");
        drain(new Observer(api), io.steadfast.whatsapp.WhatsApp.SOURCE, List.of(traffic.phoneNumberId()));
    }

    public ProviderSimulator simulator() {
        return track(new ProviderSimulator(baseUrl, secrets, history));
    }

    private ProviderSimulator track(ProviderSimulator simulator) {
        simulators.add(simulator);
        return simulator;
    }

    /** Closes the connections every simulator of this run kept open: called by the suite when the scenario ends. */
    public void closeConnections() {
        synchronized (simulators) {
            simulators.forEach(ProviderSimulator::close);
        }
    }

    /** Delivers everything with a progress bar; returns when every delivery is acknowledged or out of retries. */
    public void send(List<? extends Sendable> deliveries, int concurrency) {
        send(simulator(), deliveries, concurrency);
    }

    public void send(ProviderSimulator simulator, List<? extends Sendable> deliveries, int concurrency) {
        send(simulator, deliveries, concurrency, "sending");
    }

    private void send(ProviderSimulator simulator, List<? extends Sendable> deliveries, int concurrency, String label) {
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> simulator.deliverAll(deliveries, concurrency),
                r -> Thread.ofVirtual().start(r));
        new Progress(out, label, "deliveries").whileRunning(sending::isDone, simulator::finished, deliveries.size());
        sending.join();
    }

    /** Something a scenario does to the deployment while traffic flows. */
    public interface Harm {
        void apply(ProviderSimulator simulator) throws Exception;
    }

    /**
     * Sends, first attempts spread over {@code spread}, while {@code harm} runs on this thread (it can watch the
     * simulator's progress to time its blow), then waits for every delivery to be acknowledged or out of retries.
     */
    public void sendDuring(List<? extends Sendable> deliveries, int concurrency, Duration spread, Harm harm)
            throws Exception {
        ProviderSimulator simulator = simulator();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(
                () -> simulator.deliverAll(deliveries, concurrency, spread), r -> Thread.ofVirtual().start(r));
        try {
            harm.apply(simulator);
        } finally {
            new Progress(out, "sending", "deliveries").whileRunning(sending::isDone, simulator::finished,
                    deliveries.size());
            sending.join();
        }
    }

    /** Waits until the simulator has finished {@code count} deliveries (or all of them). */
    public static void awaitFinished(ProviderSimulator simulator, long count) {
        Poll.until(Duration.ofMinutes(5), "the provider finishing " + count + " deliveries", () -> simulator.finished() >= count);
    }

    /**
     * The attempts the harm visibly disturbed: answered with an error, not answered, or answered after
     * {@code slow}. A fault scenario in which this is zero has not tested anything.
     */
    public long disturbedAttempts(Duration slow) {
        List<History.Entry> entries = history.entries();
        Map<String, Long> invokedAt = new java.util.HashMap<>();
        long disturbed = 0;
        for (History.Entry e : entries) {
            String attempt = e.process() + "/" + e.delivery();
            if (e.type() == History.Type.INVOKE) {
                invokedAt.put(attempt, e.nanos());
            } else if (e.type() != History.Type.OK || e.nanos() - invokedAt.getOrDefault(attempt, e.nanos()) >= slow.toNanos()) {
                disturbed++;
            }
        }
        return disturbed;
    }

    /** Switches a fault on across the deployment, and waits until every process has seen it. */
    public void switchOn(Fault fault, long value, Duration duration) {
        api.post("/v1/faults", Map.of("fault", fault.id(), "value", value, "seconds", Math.max(1, duration.toSeconds())));
        awaitFaultsSeen();
    }

    /** Turns every fault off; returns once every process has seen that, so what follows runs without them. */
    public void clearFaults() {
        api.delete("/v1/faults");
        awaitFaultsSeen();
    }

    private static void awaitFaultsSeen() {
        // no process reports what it has seen: three of their polls is when every one has
        LocalCluster.sleep(3 * io.steadfast.fault.FaultSwitchboard.POLL_INTERVAL.toMillis());
    }

    /** Waits for this scenario's events to settle, then checks the history against what the deployment holds. */
    public Verdict drainAndCheck(Expectations expected) throws InterruptedException {
        return drainAndCheck(api, partitions, expected);
    }

    /** The same, for the accounts of the business {@code owner}'s credential acts for, read with that credential. */
    public Verdict drainAndCheck(Api owner, List<String> accounts, Expectations expected) throws InterruptedException {
        Observer observer = new Observer(owner);
        drain(observer, io.steadfast.whatsapp.WhatsApp.SOURCE, accounts);
        History whatsapp = history.only(e -> accounts.stream().anyMatch(p -> e.delivery().startsWith(p + "-d")));
        Collection<String> wamids = whatsapp.outcomes().keySet().stream().filter(k -> k.indexOf(':') < 0).toList();
        return Checker.check(whatsapp, expected, observer.observe(accounts, wamids));
    }

    /** True when this run started the deployment itself and can harm its processes and database. */
    public boolean controlsProcesses() {
        return cluster.isPresent();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * A Shopify shop of this scenario's own; {@code registered}: its channel is registered first (deployments that
     * do not auto-register shops need that).
     */
    public String shop(boolean registered) {
        String shop = "chaos-" + phonePrefix + "-" + shops.size() + ".myshopify.com";
        shops.add(shop);
        if (registered) {
            api.post("/v1/channels", Map.of("shop_domain", shop));
        }
        return shop;
    }

    /** Shopify order ids no other scenario or run uses: {@code orderId(0)}, {@code orderId(1)}, ... */
    public long orderId(int n) {
        return Long.parseLong(phonePrefix) * 10_000 + n;
    }

    /** A /v1/sync client, connected now: it sees every change from here on. */
    public LiveClient live() {
        return LiveClient.connect(baseUrl, api.token());
    }

    /**
     * Waits for this scenario's order deliveries to settle, gives the live client a moment to catch up, then checks
     * the history against each order and its audit log.
     */
    public Verdict drainAndCheckOrders(List<ShopifyDelivery> sent, LiveClient live) throws InterruptedException {
        Observer observer = new Observer(api);
        drain(observer, io.steadfast.shopify.Shopify.SOURCE, shops);
        java.util.Set<Long> orderIds = new java.util.TreeSet<>();
        sent.forEach(d -> orderIds.add(d.version().orderId()));
        List<OrderChecker.OrderObservation> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (long id : orderIds) {
            Optional<com.fasterxml.jackson.databind.JsonNode> order = order(id);
            if (order.isPresent()) { // the live client has until the deadline to show the final state
                Poll.within(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), () -> live.lastOrder(id)
                        .map(l -> l.path("version").equals(order.get().path("version"))).orElse(false));
            }
            seen.add(new OrderChecker.OrderObservation(id, order,
                    order.isEmpty() ? List.of() : api.all("/v1/orders/" + id + "/audit", Map.of()), live.lastOrder(id)));
        }
        return OrderChecker.check(history, sent, seen);
    }

    /** Waits, with a progress line, until no event of these accounts is pending or leased, or the drain timeout. */
    private void drain(Observer observer, String source, List<String> accounts) {
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return observer.awaitDrained(source, accounts, drainTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, r -> Thread.ofVirtual().start(r));
        new Progress(out, "draining", "s").whileRunning(drained::isDone, () -> 0, 0);
        if (!drained.join()) {
            note("the inbox did not drain within " + drainTimeout.toSeconds() + " s");
        }
    }

    private Optional<com.fasterxml.jackson.databind.JsonNode> order(long id) {
        try {
            return Optional.of(api.get("/v1/orders/" + id));
        } catch (Api.ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every provider account this scenario used. */
    public List<String> partitions() {
        return List.copyOf(partitions);
    }
}
