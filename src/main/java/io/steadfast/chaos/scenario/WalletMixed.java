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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thousand credits, debits, holds, captures and voids at once over a few wallets. Each wallet must end where its
 * successful operations put it: balance = credits - debits - captures, held = what its unresolved holds reserve,
 * and its ledger summing to its balance. Refusals (409) must have changed nothing.
 */
public final class WalletMixed implements Scenario {
    static final int WALLETS = 5;
    /** A capture or void drawn when its wallet had no open hold: no request made. */
    static final int NOTHING_TO_RESOLVE = 0;

    @Override
    public String name() {
        return "wallet-mixed";
    }

    @Override
    public String invariant() {
        return "1,000 concurrent credits, debits, holds, captures and voids over 5 wallets: each ends at the sum of "
                + "its successes, held at its open holds, its ledger summing to its balance";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    /** What the successes of one wallet add up to, in cents. */
    private static final class Books {
        long balance;
        final Map<Long, Long> openHolds = new ConcurrentHashMap<>();

        synchronized void add(long cents) {
            balance += cents;
        }
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Api api = run.api();
        String prefix = "mixed-" + run.account(false).phoneNumberId();
        Random random = new Random(prefix.hashCode());
        List<Long> wallets = new ArrayList<>();
        Map<Long, Books> books = new ConcurrentHashMap<>();
        for (int i = 0; i < WALLETS; i++) {
            long id = api.post("/v1/wallets", Map.of("customer_ref", prefix + "-" + i, "currency", "USD")).path("id").asLong();
            wallets.add(id);
            books.put(id, new Books());
        }
        int operations = run.scaled(1000, 100);
        long refused = 0;
        long done = 0;
        long idle = 0;
        try (ExecutorService clients = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < operations; i++) {
                long wallet = wallets.get(random.nextInt(WALLETS));
                int kind = i < WALLETS * 4 ? 0 : random.nextInt(5); // some credit first, then anything
                long cents = 1 + random.nextInt(2_000);
                String key = prefix + "-" + i;
                results.add(clients.submit(() -> operate(api, books.get(wallet), wallet, kind, cents, key)));
            }
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == NOTHING_TO_RESOLVE) {
                    idle++;
                } else if (status == 409) {
                    refused++;
                } else if (status / 100 == 2) {
                    done++;
                }
            }
        }
        Verdict verdict = new Verdict(0, 0, 0, 0, 0, 0, Map.of(), List.of());
        for (long wallet : wallets) {
            Books b = books.get(wallet);
            JsonNode w = api.get("/v1/wallets/" + wallet);
            long balance = cents(w.path("balance"));
            long held = cents(w.path("held"));
            long ledger = api.all("/v1/wallets/" + wallet + "/ledger", Map.of()).stream()
                    .mapToLong(e -> cents(e.path("amount"))).sum();
            long open = b.openHolds.values().stream().mapToLong(Long::longValue).sum();
            if (balance != b.balance || ledger != balance) {
                verdict = verdict.with("money not conserved", "wallet " + wallet + ": balance " + balance + ", ledger "
                        + ledger + ", successes sum to " + b.balance + " (cents)");
            }
            if (held != open) {
                verdict = verdict.with("held not its holds", "wallet " + wallet + ": held " + held + ", open holds "
                        + open + " (cents)");
            }
        }
        run.note(operations + " operations at once over " + WALLETS + " wallets: " + done + " done, " + refused
                + " refused with 409 (not enough available, or a hold already resolved), " + idle + " captures or voids "
                + "with no open hold to take");
        long requests = operations - idle;
        if (done + refused != requests) {
            verdict = verdict.with("unanswered", (requests - done - refused) + " operations got neither a success nor a "
                    + "409 after 10 tries with their key");
        }
        return new Verdict(requests, done + refused, done, 0, 0, 0, verdict.violations(), verdict.examples());
    }

    /** One operation; on success its effect is entered in the books. Returns the final status. */
    private static int operate(Api api, Books b, long wallet, int kind, long cents, String key) {
        String amount = BigDecimal.valueOf(cents, 2).toPlainString();
        return switch (kind) {
            case 0, 1 -> {
                boolean credit = kind == 0;
                HttpResponse<String> r = WalletOverdraft.post(api, "/v1/wallets/" + wallet + (credit ? "/credit" : "/debit"),
                        key, amount);
                if (r.statusCode() == 200) {
                    b.add(credit ? cents : -cents);
                }
                yield r.statusCode();
            }
            case 2 -> {
                HttpResponse<String> r = WalletOverdraft.send(api, "/v1/wallets/" + wallet + "/holds", key,
                        Json.write(Map.of("amount", amount, "expires_in_seconds", 3600)));
                if (r.statusCode() == 201) {
                    b.openHolds.put(Json.parse(r.body()).path("id").asLong(), cents);
                }
                yield r.statusCode();
            }
            default -> {
                List<Long> holds = new ArrayList<>(b.openHolds.keySet());
                if (holds.isEmpty()) {
                    yield NOTHING_TO_RESOLVE;
                }
                long hold = holds.get((int) (cents % holds.size()));
                boolean capture = kind == 3;
                HttpResponse<String> r = WalletOverdraft.send(api, "/v1/holds/" + hold + (capture ? "/capture" : "/void"),
                        key, "");
                if (r.statusCode() == 200) {
                    Long reserved = b.openHolds.remove(hold);
                    if (capture && reserved != null) {
                        b.add(-cents(Json.parse(r.body()).path("captured")));
                    }
                }
                yield r.statusCode();
            }
        };
    }

    private static long cents(JsonNode amount) {
        return new BigDecimal(amount.asText()).movePointRight(2).longValueExact();
    }
}
