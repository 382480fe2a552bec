package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.simulator.Api;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Credits and debits each sent three times with its key, two at the same moment and one after, as a client that
 * lost its answers would: every operation takes effect once. The balance is the sum of the operations, the ledger has
 * one entry per operation, and every repeat got the first answer.
 */
public final class WalletRetry implements Scenario {
    @Override
    public String name() {
        return "wallet-retry";
    }

    @Override
    public String invariant() {
        return "every credit and debit sent 3 times with its key (2 at once, 1 after): one effect each, balance and "
                + "ledger as if each was sent once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        Api api = run.api();
        Random random = new Random(run.account(false).phoneNumberId().hashCode());
        String prefix = "retry-" + run.account(false).phoneNumberId();
        long wallet = api.post("/v1/wallets", Map.of("customer_ref", prefix, "currency", "EUR")).path("id").asLong();
        int operations = run.scaled(200, 40);
        List<String> amounts = new ArrayList<>();
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < operations; i++) {
            BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(500), 2);
            // mostly credits, and never a debit the credits before it do not cover, so the sum never goes below zero
            boolean credit = i < 5 || random.nextInt(3) > 0 || expected.compareTo(amount) < 0;
            amounts.add((credit ? "credit:" : "debit:") + amount.toPlainString());
            expected = credit ? expected.add(amount) : expected.subtract(amount);
        }
        Verdict verdict = new Verdict(0, 0, 0, 0, 0, 0, Map.of(), List.of());
        long repeatsDiffering = 0;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // credits first, so that the debits after them are covered whatever the order
            for (String kind : List.of("credit", "debit")) {
                List<CompletableFuture<Boolean>> sameAnswers = new ArrayList<>();
                for (int i = 0; i < amounts.size(); i++) {
                    if (!amounts.get(i).startsWith(kind)) {
                        continue;
                    }
                    String path = "/v1/wallets/" + wallet + "/" + kind;
                    String amount = amounts.get(i).substring(kind.length() + 1);
                    String key = prefix + "-" + i;
                    sameAnswers.add(CompletableFuture.supplyAsync(() -> {
                        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> answer(api, path, key, amount), clients);
                        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> answer(api, path, key, amount), clients);
                        String first = a.join();
                        return first.equals(b.join()) && first.equals(answer(api, path, key, amount));
                    }, clients));
                }
                repeatsDiffering += sameAnswers.stream().map(CompletableFuture::join).filter(same -> !same).count();
            }
        }
        JsonNode w = api.get("/v1/wallets/" + wallet);
        List<JsonNode> ledger = api.all("/v1/wallets/" + wallet + "/ledger", Map.of());
        if (new BigDecimal(w.path("balance").asText()).compareTo(expected) != 0) {
            verdict = verdict.with("double effect", "wallet " + wallet + " ended at " + w.path("balance").asText()
                    + ", the operations sum to " + expected.toPlainString());
        }
        if (ledger.size() != operations) {
            verdict = verdict.with("double effect", "wallet " + wallet + " has " + ledger.size() + " ledger entries for "
                    + operations + " operations");
        }
        if (repeatsDiffering > 0) {
            verdict = verdict.with("repeat answered differently", repeatsDiffering + " keys got different answers");
        }
        run.note(operations + " operations sent 3 times each: balance " + w.path("balance").asText() + " EUR (expected "
                + expected.toPlainString() + "), " + ledger.size() + " ledger entries");
        return new Verdict(operations, operations, ledger.size(), Math.max(0, ledger.size() - operations), 0, 0,
                verdict.violations(), verdict.examples());
    }

    /** The answer to one request, retried with its key while the server is busy; its status and body. */
    private static String answer(Api api, String path, String key, String amount) {
        var r = WalletOverdraft.post(api, path, key, amount);
        return r.statusCode() + ":" + r.body();
    }
}
