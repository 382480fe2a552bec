package io.steadfast.chaos.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.chaos.Checker.Expectations;
import io.steadfast.chaos.Scenario;
import io.steadfast.chaos.ScenarioRun;
import io.steadfast.chaos.Verdict;
import io.steadfast.json.Json;
import io.steadfast.simulator.Api;
import io.steadfast.simulator.Delivery;
import io.steadfast.simulator.Traffic;
import io.steadfast.simulator.WhatsAppPayloads.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several businesses with traffic on their own numbers; meanwhile every credential (each business's API key, an
 * agent's access token, the operator token for the default business) reads at random, with ids taken from every
 * business, and search for a word every business's messages hold. No answer may hold another business's row, and
 * another business's id must answer 404 or nothing.
 */
public final class TenantIsolation implements Scenario {
    static final int BUSINESSES = 3;

    @Override
    public String name() {
        return "tenant-isolation";
    }

    @Override
    public String invariant() {
        return BUSINESSES + " businesses and the default one with traffic on their own numbers, read at random by every "
                + "credential with every business's ids and searched for a word all their messages share, through killed "
                + "connections: no foreign row, each business's events applied exactly once";
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    /** One business: what it owns, and the credentials that act for it. */
    private record Tenant(String name, Api admin, List<Api> credentials, String phone, Set<String> wamids,
                          Set<Long> conversations) {
    }

    @Override
    public Verdict run(ScenarioRun run) throws Exception {
        List<Tenant> tenants = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i <= BUSINESSES; i++) {
            Api admin = i == 0 ? run.api() : run.newBusiness("tenant-" + i, Map.of());
            Traffic traffic = i == 0 ? run.account(true) : run.account(admin);
            List<Delivery> own = traffic.everyday(run.scaled(80, 10), 8, 3);
            Set<String> wamids = ConcurrentHashMap.newKeySet();
            own.forEach(d -> d.messages().stream().map(Message::wamid).forEach(wamids::add));
            deliveries.addAll(own);
            tenants.add(new Tenant(i == 0 ? "default" : "tenant-" + i, admin, List.of(admin, agent(run, admin, i)),
                    traffic.phoneNumberId(), wamids, ConcurrentHashMap.newKeySet()));
        }
        Collections.shuffle(deliveries, run.random());
        Reads reads = new Reads(run.random());
        int rounds = run.controlsProcesses() ? 2 : 0;
        int[] kills = {0};
        run.sendDuring(deliveries, 16, Duration.ofSeconds(4), simulator -> {
            for (int round = 1; round <= 4; round++) {
                reads.some(tenants, run.scaled(40, 10));
                if (round <= rounds) {
                    kills[0] += run.cluster().killConnections();
                }
            }
        });

        Verdict verdict = null;
        for (Tenant t : tenants) {
            Verdict own = run.drainAndCheck(t.admin(), List.of(t.phone()), Expectations.none());
            verdict = verdict == null ? own : verdict.plus(own);
        }
        reads.some(tenants, run.scaled(200, 40)); // and once everything has settled
        run.note(reads.count + " reads by " + tenants.size() * 2 + " credentials, " + reads.foreignIds
                + " of them with another business's id; " + reads.unavailable + " answered 503 during faults"
                + (rounds > 0 ? "; " + kills[0] + " connections terminated" : ""));
        for (String example : reads.leaks) {
            verdict = verdict.with("another business's row", example);
        }
        for (String example : reads.wrongAnswers) {
            verdict = verdict.with("unexpected answer", example);
        }
        if (reads.foreignIds == 0) {
            verdict = verdict.with("isolation not exercised", "no read used another business's id");
        }
        return verdict;
    }

    /** An agent of the business, signed in: its access token is the business's second credential. */
    private static Api agent(ScenarioRun run, Api admin, int i) {
        String email = "agent-" + i + "-" + run.random().nextInt(1_000_000_000) + "@chaos.example";
        String password = "chaos-agent-password-" + run.random().nextInt(1_000_000);
        admin.post("/v1/users", Map.of("email", email, "password", password, "role", "agent"));
        return admin.as(admin.post("/v1/auth/token", Map.of("email", email, "password", password))
                .path("access_token").asText());
    }

    /** Random reads; what each answer must and must not hold. */
    private static final class Reads {
        final Random random;
        long count;
        long foreignIds;
        long unavailable;
        final List<String> leaks = new ArrayList<>();
        final List<String> wrongAnswers = new ArrayList<>();

        Reads(Random random) {
            this.random = random;
        }

        void some(List<Tenant> tenants, int n) {
            for (Tenant t : tenants) { // the ground truth: each business's conversations, read by itself
                HttpResponse<String> own = t.admin().exchange("GET", "/v1/conversations?limit=500", null);
                if (own.statusCode() == 200) { // else a fault is on: the next round reads them
                    Json.parse(own.body()).path("items").forEach(c -> t.conversations().add(c.path("id").asLong()));
                }
            }
            for (int i = 0; i < n; i++) {
                Tenant self = tenants.get(random.nextInt(tenants.size()));
                Tenant target = tenants.get(random.nextInt(tenants.size()));
                Api as = self.credentials().get(random.nextInt(self.credentials().size()));
                boolean foreign = self != target;
                int kind = random.nextInt(6);
                count++;
                foreignIds += foreign && kind >= 1 && kind <= 3 ? 1 : 0;
                switch (kind) {
                    case 0 -> read(as, "/v1/conversations?limit=500", self, false, list -> list.forEach(c ->
                            expectOwnAccount(self, tenants, c.path("phone_number_id").asText(), "conversation", c)));
                    case 1 -> pick(target.conversations()).ifPresent(id -> read(as,
                            "/v1/conversations/" + id + "/messages?limit=1000", self, foreign, list -> list.forEach(m ->
                                    expectOwnMessage(self, tenants, m))));
                    case 2 -> pick(target.wamids()).ifPresent(wamid -> read(as, "/v1/messages?external_id=" + wamid,
                            self, false, list -> list.forEach(m -> expectOwnMessage(self, tenants, m))));
                    case 3 -> read(as, "/v1/inbox/events?source=whatsapp&partition_key=" + target.phone(), self, false,
                            list -> list.forEach(e -> expect(!foreign, self, "inbox event", e)));
                    case 4 -> read(as, "/v1/inbox/dead", self, false, list -> list.forEach(e ->
                            expectOwnAccount(self, tenants, e.path("partition_key").asText(), "dead letter", e)));
                    // every business's messages hold the word: search reads past row-level security, in a function
                    // that checks the business itself, so it must find only the caller's
                    default -> read(as, "/v1/messages/search?q=message&limit=50", self, false, list -> list.forEach(m ->
                            expectOwnMessage(self, tenants, m)));
                }
            }
        }

        /**
         * A row is another business's when it belongs to another business of this scenario; the default business
         * also holds every other scenario's traffic, but a business created here holds only its own.
         */
        private void expectOwnAccount(Tenant self, List<Tenant> tenants, String phone, String what, JsonNode row) {
            boolean own = self.phone().equals(phone)
                    || self.name().equals("default") && tenants.stream().noneMatch(t -> t.phone().equals(phone));
            expect(own, self, what, row);
        }

        private void expectOwnMessage(Tenant self, List<Tenant> tenants, JsonNode m) {
            String wamid = m.path("external_id").asText();
            boolean own = self.wamids().contains(wamid)
                    || self.name().equals("default") && tenants.stream().noneMatch(t -> t.wamids().contains(wamid));
            expect(own, self, "message", m);
        }

        private <T> java.util.Optional<T> pick(Set<T> set) {
            List<T> all = List.copyOf(set);
            return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(random.nextInt(all.size())));
        }

        /** Reads a list; {@code mustBeMissing}: the path names another business's entity, so only 404 is right. */
        private void read(Api as, String path, Tenant self, boolean mustBeMissing,
                          java.util.function.Consumer<List<JsonNode>> check) {
            HttpResponse<String> r = as.exchange("GET", path, null);
            if (r.statusCode() == 503) {
                unavailable++;
                return;
            }
            if (mustBeMissing) {
                if (r.statusCode() != 404) {
                    note(leaks, self.name() + " read " + path + " of another business: " + r.statusCode() + " " + clip(r.body()));
                }
                return;
            }
            if (r.statusCode() != 200) {
                note(wrongAnswers, self.name() + " GET " + path + ": " + r.statusCode() + " " + clip(r.body()));
                return;
            }
            List<JsonNode> items = new ArrayList<>();
            Json.parse(r.body()).path("items").forEach(items::add);
            check.accept(items);
        }

        private void expect(boolean own, Tenant self, String what, JsonNode row) {
            if (!own) {
                note(leaks, self.name() + " was shown a " + what + " of another business: " + clip(row.toString()));
            }
        }

        private static void note(List<String> list, String text) {
            if (list.size() < 10) {
                list.add(text);
            }
        }

        private static String clip(String s) {
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        }
    }
}
