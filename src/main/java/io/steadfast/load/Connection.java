package io.steadfast.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One keep-alive HTTP/1.1 connection that sends a POST and reads the status and body of its answer. Deliberately
 * minimal, like wrk's: the load generator shares the machine with the server it measures, so every microsecond it
 * spends per request is taken from the server.
 */
public final class Connection implements AutoCloseable {
    /** An answer's status, and its {@code Retry-After} header when it had one (null otherwise). */
    public record Response(int status, String retryAfter) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] requestHead;
    private long lastAnswered = System.nanoTime();

    public Connection(URI base) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        requestHead = ("Host: " + base.getHost() + ":" + base.getPort() + "\r\nContent-Type: application/json\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends one request, a POST or, when the call has no body, a GET, and returns the response status; the response
     * body is read and discarded.
     */
    int send(LoadClient.Call call) throws IOException {
        return exchange(call).status();
    }

    /** Sends one request like {@link #send} and returns its status and {@code Retry-After}. */
    public Response exchange(LoadClient.Call call) throws IOException {
        byte[] body = call.body() == null ? new byte[0] : call.body();
        StringBuilder head = new StringBuilder(160).append(call.body() == null ? "GET " : "POST ").append(call.path())
                .append(" HTTP/1.1\r\n");
        String[] headers = call.headers();
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        byte[] first = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[first.length + requestHead.length + 2 + body.length];
        System.arraycopy(first, 0, request, 0, first.length);
        System.arraycopy(requestHead, 0, request, first.length, requestHead.length);
        request[first.length + requestHead.length] = '\r';
        request[first.length + requestHead.length + 1] = '\n';
        System.arraycopy(body, 0, request, first.length + requestHead.length + 2, body.length);
        out.write(request);
        out.flush();
        Response response = readResponse();
        lastAnswered = System.nanoTime();
        return response;
    }

    /** How long since this connection's last answer (or since it was opened). */
    Duration idle() {
        return Duration.ofNanos(System.nanoTime() - lastAnswered);
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        if (statusLine == null || statusLine.length() < 12) {
            throw new IOException("the server closed the connection");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String retryAfter = null;
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon);
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = line.toLowerCase().contains("chunked");
                } else if (name.equalsIgnoreCase("Retry-After")) {
                    retryAfter = line.substring(colon + 1).trim();
                }
            }
        }
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                skip(size + 2);
            }
            readLine();
        } else if (length > 0) {
            skip(length);
        }
        return new Response(status, retryAfter);
    }

    private long chunkSize() throws IOException {
        String line = readLine();
        int semicolon = line.indexOf(';');
        return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() == -1) {
                    throw new IOException("the server closed the connection mid-response");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a benchmark connection: nothing to recover
        }
    }
}
