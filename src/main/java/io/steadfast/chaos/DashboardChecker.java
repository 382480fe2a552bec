package io.steadfast.chaos;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Judges dashboards' views against what was committed: every acknowledged message, every order's final version. */
public final class DashboardChecker {
    public static final String STALE_VIEW = "a dashboard does not show a committed change";

    private DashboardChecker() {
    }

    public static Verdict check(List<DashboardClient> clients, Set<String> acknowledged, Map<Long, Integer> versions) {
        Findings findings = new Findings();
        long missing = 0;
        for (int i = 0; i < clients.size(); i++) {
            Set<String> shown = clients.get(i).wamids();
            Map<Long, Integer> shownVersions = clients.get(i).versions();
            for (String wamid : acknowledged) {
                if (!shown.contains(wamid)) {
                    missing++;
                    findings.add(STALE_VIEW, "dashboard " + i + ": message " + wamid);
                }
            }
            for (var order : versions.entrySet()) {
                if (!order.getValue().equals(shownVersions.get(order.getKey()))) {
                    missing++;
                    findings.add(STALE_VIEW, "dashboard " + i + ": order " + order.getKey() + " shows version "
                            + shownVersions.get(order.getKey()) + ", not " + order.getValue());
                }
            }
        }
        long changes = acknowledged.size() + versions.size();
        return findings.verdict(changes, changes, changes, 0, missing, 0);
    }
}
