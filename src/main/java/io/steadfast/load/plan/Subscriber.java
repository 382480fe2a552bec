package io.steadfast.load.plan;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live client of {@code /v1/sync} in the realtime scenario, on a plain socket read by a virtual thread: it records
 * each change's delivery latency (from the writing transaction's {@code changed_at} to now) and which change seqs it
 * received. Minimal on purpose, like the HTTP load client: the JDK's WebSocket client spent most of the machine
 * decoding frames at 10,000 deliveries a second, which measured the client rather than the server.
 */
final class Subscriber {
    /** Unset: the first seq any client receives, less a margin for changes that commit out of seq order. */
    static final long UNSET = Long.MIN_VALUE;
    private static final long MARGIN = 100_000;
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANGED_AT = "\"changed_at\":\"".getBytes(StandardCharsets.US_ASCII);

    private final AtomicLong origin;
    private volatile Series delivery;
    private volatile long after;
    private final BitSet received = new BitSet();
    private final Socket socket = new Socket();
    private volatile String closedBecause;
    private volatile boolean closing;
    private OutputStream out;

    /** Received seqs are kept as offsets from {@code origin}. */
    Subscriber(Series delivery, AtomicLong origin, long after) {
        this.origin = origin;
        measure(delivery, after);
    }

    /** From now on, records deliveries of changes after seq {@code after} into {@code series}. */
    void measure(Series series, long after) {
        this.delivery = series;
        this.after = after;
    }

    /** Opens the WebSocket (throws when the upgrade is refused), then reads it on a virtual thread. */
    void open(URI base, String authorization) throws IOException {
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET /v1/sync HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nAuthorization: " + authorization + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("the upgrade was refused: " + status);
        }
        while (!line(in).isEmpty()) {
            // the upgrade's headers: nothing in them we need
        }
        Thread.ofVirtual().name("load-sync-client").start(() -> read(in));
    }

    private void read(DataInputStream in) {
        try {
            byte[] message = new byte[0];
            int length = 0;
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long size = second & 0x7F;
                if (size == 126) {
                    size = in.readUnsignedShort();
                } else if (size == 127) {
                    size = in.readLong();
                }
                byte[] payload = new byte[(int) size];
                in.readFully(payload);
                int opcode = first & 0x0F;
                if (opcode == 8) {
                    if (!closing) {
                        int code = size >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        closedBecause = "closed by the server: " + code + " "
                                + new String(payload, Math.min(2, payload.length), Math.max(0, payload.length - 2), StandardCharsets.UTF_8);
                    }
                    return;
                }
                if (opcode == 9) {
                    frame(0xA, payload);
                    continue;
                }
                if (opcode == 1 || opcode == 0) {
                    if (length + payload.length > message.length) {
                        message = java.util.Arrays.copyOf(message, Math.max(2 * message.length, length + payload.length));
                    }
                    System.arraycopy(payload, 0, message, length, payload.length);
                    length += payload.length;
                    if ((first & 0x80) != 0) {
                        received(message, length);
                        length = 0;
                    }
                }
            }
        } catch (IOException e) {
            if (!closing) {
                closedBecause = e instanceof EOFException ? "the server ended the connection" : "broke: " + e;
            }
        }
    }

    private void received(byte[] m, int length) {
        int s = indexOf(m, length, SEQ, 0);
        int c = indexOf(m, length, CHANGED_AT, 0);
        if (s < 0 || c < 0) {
            return;
        }
        long seq = 0;
        for (int i = s + SEQ.length; i < length && m[i] >= '0' && m[i] <= '9'; i++) {
            seq = seq * 10 + (m[i] - '0');
        }
        int end = c + CHANGED_AT.length;
        while (end < length && m[end] != '"') {
            end++;
        }
        Instant changedAt = Instant.parse(new String(m, c + CHANGED_AT.length, end - c - CHANGED_AT.length,
                StandardCharsets.US_ASCII));
        origin.compareAndSet(UNSET, seq - MARGIN);
        if (seq > after && seq > origin.get()) {
            delivery.record(changedAt.until(Instant.now(), ChronoUnit.MICROS), null);
            synchronized (received) {
                received.set((int) (seq - origin.get()));
            }
        }
    }

    private static int indexOf(byte[] m, int length, byte[] what, int from) {
        outer:
        for (int i = from; i <= length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (m[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Sends one masked client frame (the protocol requires clients to mask). */
    private synchronized void frame(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Why the connection ended before the run did, or null while it is open. */
    String closedBecause() {
        return closedBecause;
    }

    /** The seqs received, as offsets from the origin. */
    BitSet received() {
        synchronized (received) {
            return (BitSet) received.clone();
        }
    }

    void close() {
        closing = true;
        try {
            frame(8, new byte[] {0x03, (byte) 0xE8});
            socket.close();
        } catch (IOException e) {
            // ending the run: the socket may already be gone
        }
    }
}
