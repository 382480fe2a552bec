package io.steadfast.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live client: a bounded queue the hub fills and a thread of its own that empties it into the socket, so a
 * slow client only ever slows itself. A client whose queue overflows is closed with {@link #BEHIND} and told the
 * cursor to resume from.
 */
public final class Subscription implements AutoCloseable {
    /** Close code for a client that fell too far behind: reconnect with {@code ?since=<cursor>}. */
    public static final int BEHIND = 4008;
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final int MAX_BATCH = 256;

    /** Where a client's messages go. Called only from the subscription's own thread. */
    public interface Sink {
        long businessId();

        /** Writes messages in order and returns once all are written; throws when the client is gone. */
        void send(List<String> messages) throws Exception;

        /** Ends the connection with a WebSocket close code and a reason. */
        void close(int code, String reason);

        /**
         * Whether the client asked to be told when it is in ({@code ?ready=true}): from that message on, every change
         * that commits reaches it, so a state read after it misses nothing.
         */
        default boolean wantsReady() {
            return false;
        }
    }

    /** The message a client that asked for it gets once it receives every change from then on. */
    static final String READY = "{\"type\":\"ready\"}";

    private record Outgoing(String text, long cursor) {
    }

    private final Sink sink;
    private final BlockingQueue<Outgoing> queue;
    private final Thread sender;
    private volatile boolean open = true;
    private volatile long lastCursorSent;
    /** The highest seq this client has been read up to; owned by the hub's thread. */
    long position;

    Subscription(Sink sink, long since, int capacity) {
        this.sink = sink;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.position = since;
        this.lastCursorSent = since;
        this.sender = Thread.ofVirtual().name("sync-client").unstarted(this::sendLoop);
    }

    void start() {
        sender.start();
    }

    long businessId() {
        return sink.businessId();
    }

    boolean isOpen() {
        return open;
    }

    /** Tells a client that asked for it that it is in. */
    void announceReady() {
        if (sink.wantsReady()) {
            offer(READY, lastCursorSent);
        }
    }

    /** Queues a message; a client whose queue is full is closed instead. */
    void offer(String text, long cursor) {
        if (open && !queue.offer(new Outgoing(text, cursor))) {
            open = false;
            sender.interrupt();
            sink.close(BEHIND, "too far behind: reconnect with ?since=" + lastCursorSent);
        }
    }

    /**
     * Sends what has queued up since the last write as one batch: the socket takes the frames in one write, where a
     * write per message cost a system call per client per change (a thousand clients made that most of the CPU).
     */
    private void sendLoop() {
        List<Outgoing> batch = new ArrayList<>();
        try {
            while (open) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                sink.send(batch.stream().map(Outgoing::text).toList());
                lastCursorSent = batch.getLast().cursor();
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("A live client is gone: {}", e.toString());
        } finally {
            open = false;
            queue.clear();
        }
    }

    /** Stops sending; the hub forgets the client at its next read. */
    @Override
    public void close() {
        open = false;
        sender.interrupt();
    }
}
