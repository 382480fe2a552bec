package io.steadfast.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Every delivery attempt, recorded the way Jepsen records operations: an invoke, then how it completed. {@code ok}:
 * a 2xx, the events are committed. {@code fail}: a 4xx, a definite refusal: nothing was stored. {@code info}: a 5xx,
 * a timeout or a reset connection: the outcome is unknown, the events may or may not be stored.
 */
public final class History {
    public enum Type { INVOKE, OK, FAIL, INFO }

    /** What the provider learned about an event over all the attempts that carried it. */
    public enum Outcome { OK, INFO, FAIL }

    /** One line of the history. {@code nanos} is relative to the history's start. */
    public record Entry(long index, Type type, int process, String delivery, List<String> keys, long nanos,
                        int httpStatus, String detail) {
    }

    private final long start = System.nanoTime();
    private final AtomicLong next = new AtomicLong();
    private final List<Entry> entries = new ArrayList<>();
    private final Histogram latency = new Histogram(60_000_000_000L, 3);

    /** An attempt in flight; complete it exactly once. */
    public final class Op {
        private final int process;
        private final String delivery;
        private final List<String> keys;
        private final long invokedAt = System.nanoTime();

        private Op(int process, String delivery, List<String> keys) {
            this.process = process;
            this.delivery = delivery;
            this.keys = keys;
        }

        public void ok(int status) {
            complete(Type.OK, status, "");
        }

        public void fail(int status, String detail) {
            complete(Type.FAIL, status, detail);
        }

        public void info(int status, String detail) {
            complete(Type.INFO, status, detail);
        }

        private void complete(Type type, int status, String detail) {
            long now = System.nanoTime();
            synchronized (History.this) {
                if (status > 0) {
                    latency.recordValue(Math.max(1, now - invokedAt));
                }
                entries.add(new Entry(next.getAndIncrement(), type, process, delivery, keys, now - start, status, detail));
            }
        }
    }

    public Op invoke(int process, String delivery, List<String> keys) {
        Op op = new Op(process, delivery, List.copyOf(keys));
        synchronized (this) {
            entries.add(new Entry(next.getAndIncrement(), Type.INVOKE, process, delivery, op.keys, op.invokedAt - start, 0, ""));
        }
        return op;
    }

    /** The entries {@code keep} accepts, as a history of their own (for judging one provider's deliveries apart). */
    public synchronized History only(java.util.function.Predicate<Entry> keep) {
        History part = new History();
        entries.stream().filter(keep).forEach(part.entries::add);
        part.latency.add(latency);
        return part;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Per event key: OK if any attempt carrying it was acknowledged, else INFO if any was uncertain, else FAIL. */
    public synchronized Map<String, Outcome> outcomes() {
        Map<String, Outcome> outcomes = new HashMap<>();
        for (Entry e : entries) {
            Outcome o = switch (e.type()) {
                case INVOKE -> null;
                case OK -> Outcome.OK;
                case INFO -> Outcome.INFO;
                case FAIL -> Outcome.FAIL;
            };
            if (o != null) {
                e.keys().forEach(k -> outcomes.merge(k, o, (a, b) -> a.ordinal() <= b.ordinal() ? a : b));
            }
        }
        return outcomes;
    }

    public synchronized long count(Type type) {
        return entries.stream().filter(e -> e.type() == type).count();
    }

    /** Latency of every attempt that got an HTTP answer, in nanoseconds. */
    public synchronized Histogram latency() {
        return latency.copy();
    }
}
