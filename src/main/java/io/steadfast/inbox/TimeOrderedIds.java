package io.steadfast.inbox;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDv7 (RFC 9562): milliseconds since the epoch, then random bits. New ids sort after old ones, so the primary
 * key index grows at its right edge instead of taking random page writes; and no lock is shared between threads
 * the way {@code UUID.randomUUID()}'s SecureRandom is.
 */
final class TimeOrderedIds {
    private TimeOrderedIds() {
    }

    static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
