package io.steadfast.simulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;

/**
 * One keep-alive HTTP/1.1 connection (TLS for an {@code https} base) that sends a request and reads the status and
 * body of its answer. Deliberately minimal, like wrk's: the load generator and the chaos sender share the machine
 * with the server they measure, so every microsecond they spend per request is taken from the server (measured for
 * a burst of 1,000 webhooks on new connections: about half the CPU of the JDK's {@code HttpClient}).
 */
public final class Connection implements AutoCloseable {
    /**
     * An answer's status, its {@code Retry-After} header when it had one (null otherwise), its body, and whether the
     * server said it closes the connection after it.
     */
    public record Response(int status, String retryAfter, byte[] body, boolean closing) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] requestHead;
    private long lastAnswered = System.nanoTime();

    public Connection(URI base) throws IOException {
        this(base, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** Connects within {@code connectTimeout}; a read that waits longer than {@code readTimeout} fails. */
    public Connection(URI base, Duration connectTimeout, Duration readTimeout) throws IOException {
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(base.getHost(), port), (int) connectTimeout.toMillis());
        socket = tls ? ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, base.getHost(), port, true) : plain;
        socket.setSoTimeout((int) readTimeout.toMillis());
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        requestHead = ("Host: " + base.getHost() + ":" + port + "\r\nContent-Type: application/json\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends one request, a POST or, when {@code body} is null, a GET, with headers given as name/value pairs, and
     * reads its answer.
     */
    public Response exchange(String path, byte[] requestBody, String... headers) throws IOException {
        byte[] body = requestBody == null ? new byte[0] : requestBody;
        StringBuilder head = new StringBuilder(160).append(requestBody == null ? "GET " : "POST ").append(path)
                .append(" HTTP/1.1\r\n");
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
        Response response;
        try {
            response = readResponse();
        } catch (NumberFormatException e) {
            throw new IOException("the answer is not well-formed HTTP/1.1 (" + e.getMessage() + ")", e);
        }
        lastAnswered = System.nanoTime();
        return response;
    }

    /** How long since this connection's last answer (or since it was opened). */
    public Duration idle() {
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
        boolean closing = false;
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
                } else if (name.equalsIgnoreCase("Connection")) {
                    closing = line.toLowerCase().contains("close");
                }
            }
        }
        if (!chunked) {
            return new Response(status, retryAfter, length > 0 ? readExactly(length) : new byte[0], closing);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
            body.writeBytes(readExactly(size));
            readLine(); // the chunk's closing CRLF
        }
        readLine();
        return new Response(status, retryAfter, body.toByteArray(), closing);
    }

    private byte[] readExactly(long n) throws IOException {
        byte[] bytes = in.readNBytes((int) n);
        if (bytes.length < n) {
            throw new IOException("the server closed the connection mid-response");
        }
        return bytes;
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

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a benchmark connection: nothing to recover
        }
    }
}
