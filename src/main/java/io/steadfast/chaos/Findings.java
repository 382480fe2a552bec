package io.steadfast.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a checker found: how many of each kind of violation, and the first few, named. */
final class Findings {
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<String> examples = new ArrayList<>();

    void add(String kind, String example) {
        counts.merge(kind, 1L, Long::sum);
        if (examples.size() < Checker.MAX_EXAMPLES) {
            examples.add(kind + ": " + example);
        }
    }

    Verdict verdict(long events, long acknowledged, long stored, long duplicates, long lost, long orderViolations) {
        return new Verdict(events, acknowledged, stored, duplicates, lost, orderViolations, counts, examples);
    }
}
