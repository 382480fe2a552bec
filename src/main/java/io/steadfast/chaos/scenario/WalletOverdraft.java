package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * A hundred debits of 1.00 at once against a wallet holding 37.00, in several rounds: exactly 37 pass, the rest are
 * refused with {@code 409 insufficient_funds}, the balance ends at zero and the ledger sums to it.
 */
public final class WalletOverdraft implements Scenario {
    static final int DEBITS = 100;
    static final int COVERED = 37;

    @Override
    public String name() {
        return "wallet-overdraft";
    }

    @Override
    public String invariant() {
        return "100 concurrent debits of 1.00 against a balance of 37.00: exactly 37 pass, 63 get 409, the balance ends "
                + "at 0.00 and the ledger sums to it";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Api api = run.api();
        int rounds = run.scaled(5, 1);
        String prefix = "overdraft-" + run.account(false).phoneNumberId();
        Verdict verdict = new Verdict(0, 0, 0, 0, 0, 0, Map.of(), List.of());
        long passed = 0;
        for (int round = 0; round < rounds; round++) {
            long wallet = api.post("/v1/wallets", Map.of("customer_ref", prefix + "-" + round, "currency", "USD"))
                    .path("id").asLong();
            post(api, "/v1/wallets/" + wallet + "/credit", prefix + "-fund-" + round, "37.00");
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> debits = new ArrayList<>();
                for (int i = 0; i < DEBITS; i++) {
                    String key = prefix + "-debit-" + round + "-" + i;
                    debits.add(buyers.submit(() -> post(api, "/v1/wallets/" + wallet + "/debit", key, "1.00")
                            .statusCode()));
                }
                for (Future<Integer> f : debits) {
                    statuses.add(f.get());
                }
            }
            long ok = statuses.stream().filter(s -> s == 200).count();
            long refused = statuses.stream().filter(s -> s == 409).count();
            passed += ok;
            JsonNode w = api.get("/v1/wallets/" + wallet);
            BigDecimal ledger = api.all("/v1/wallets/" + wallet + "/ledger", Map.of()).stream()
                    .map(e -> new BigDecimal(e.path("amount").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (ok != COVERED || refused != DEBITS - COVERED) {
                verdict = verdict.with("overdraft", "wallet " + wallet + ": " + ok + " debits passed and " + refused
                        + " were refused, against a balance covering " + COVERED);
            }
            if (new BigDecimal(w.path("balance").asText()).signum() != 0) {
                verdict = verdict.with("balance", "wallet " + wallet + " ended at " + w.path("balance").asText());
            }
            if (ledger.compareTo(new BigDecimal(w.path("balance").asText())) != 0) {
                verdict = verdict.with("ledger", "wallet " + wallet + ": balance " + w.path("balance").asText()
                        + ", ledger sum " + ledger.toPlainString());
            }
        }
        run.note(rounds + " rounds of " + DEBITS + " debits at once against " + COVERED + ".00: " + passed + " passed in all ("
                + (long) rounds * COVERED + " covered)");
        return new Verdict((long) rounds * DEBITS, passed, passed, 0, 0, 0, verdict.violations(), verdict.examples());
    }

    /** One request with its key; a 503 or 429 is made again with the same key after its Retry-After. */
    static HttpResponse<String> post(Api api, String path, String key, String amount) {
        return send(api, path, key, Json.write(Map.of("amount", amount)));
    }

    /** A POST with its key and JSON body, made again with the same key after a 503 or 429's Retry-After. */
    static HttpResponse<String> send(Api api, String path, String key, String json) {
        for (int tries = 1; ; tries++) {
            HttpResponse<String> r = api.exchange("POST", path, json, "Idempotency-Key", key);
            if ((r.statusCode() != 503 && r.statusCode() != 429) || tries == 10) {
                return r;
            }
            LockSupport.parkNanos(r.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,3}"))
                    .map(Long::parseLong).orElse(1L) * 1_000_000_000L);
        }
    }
}
