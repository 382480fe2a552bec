package io.steadfast.realtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the live feed has read of the change log, and the cursor below which nothing can still appear.
 *
 * <p>A seq is taken when a transaction writes, not when it commits, so seq 10 may become visible after seq 11. Each
 * read is made under one snapshot and reads every visible seq above {@link #maxSeen()}. A seq at or below it that
 * was not visible then belongs to a transaction in progress at that snapshot (a writer takes its transaction id
 * before its seq): one it lists, or one whose xid is at or above its xmax, which {@link Changes#inProgress} adds. Those
 * transactions are awaited: once one ends, its rows are read by transaction id. A
 * transaction first listed after the mark was at {@code m} can only hold seqs above {@code m}, which gives the cursor:
 * the lowest such mark among the awaited transactions, or the mark itself when none is awaited. No timer is
 * involved, so a transaction open for minutes is delivered when it commits, and a rolled-back one blocks nothing
 * once it has ended.
 */
final class Frontier {
    private long maxSeen;
    /** Transactions in progress at the last read, each with the mark before it was first seen in progress. */
    private Map<Long, Long> awaited = new HashMap<>();

    Frontier(long maxSeen) {
        this.maxSeen = maxSeen;
    }

    long maxSeen() {
        return maxSeen;
    }

    /** The transactions whose rows may still appear at or below {@link #maxSeen()}. */
    java.util.Set<Long> awaited() {
        return awaited.keySet();
    }

    /** Records one read: the highest seq it saw and the transactions its snapshot listed as in progress. */
    void advance(long highestSeen, List<Long> inProgress) {
        Map<Long, Long> next = new HashMap<>();
        for (long xid : inProgress) {
            next.put(xid, awaited.getOrDefault(xid, maxSeen));
        }
        awaited = next;
        maxSeen = Math.max(maxSeen, highestSeen);
    }

    /** Every seq at or below this has been read, or will never be visible. */
    long cursor() {
        long cursor = maxSeen;
        for (long floor : awaited.values()) {
            cursor = Math.min(cursor, floor);
        }
        return cursor;
    }
}
