package io.steadfast.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steadfast.db.DatabaseUnavailableException;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.error.SteadfastException;
import io.steadfast.fault.Faults;
import io.steadfast.json.Json;
import io.steadfast.webhook.WebhookRequests;
import io.steadfast.whatsapp.WhatsAppWebhook;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /webhooks/whatsapp} as a plain Jetty handler in front of Javalin: the body is read, checked and queued
 * for the next group commit, and the request gives its thread back; the answer is written once the commit is done.
 * No servlet layer, and no thread parked per request waiting for the database (docs/BENCHMARKS.md measures what
 * that saves). Everything else, the subscription handshake of the same path included, goes on to Javalin.
 */
final class WebhookIntake extends Handler.Wrapper {
    static final String PATH = "/webhooks/whatsapp";
    /** A refused body up to this size is read to its end before the answer; a larger one is not waited for. */
    private static final long DISCARDED_AT_MOST = 16L << 20;

    private final WhatsAppWebhook whatsapp;
    private final Optional<Faults> faults;
    private final RequestMetrics metrics;
    private final ExecutorService answering = Executors.newVirtualThreadPerTaskExecutor();

    WebhookIntake(WhatsAppWebhook whatsapp, Optional<Faults> faults, RequestMetrics metrics) {
        this.whatsapp = whatsapp;
        this.faults = faults;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"POST".equals(request.getMethod()) || !PATH.equals(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        long started = System.nanoTime();
        Callback measured = Callback.from(callback, () -> metrics.record("POST", PATH, response.getStatus(),
                System.nanoTime() - started));
        if (faults.isPresent() && faults.get().failWebhook(Faults.Point.BEFORE_COMMIT)) {
            writeError(response, measured, 500, "injected_fault", "failure injected before commit; nothing was stored");
            return true;
        }
        long declaredLength = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        try {
            WebhookRequests.check(declaredLength, request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    whatsapp.maxBodyBytes(), "application/json");
        } catch (SteadfastException e) {
            if (declaredLength > 0 && declaredLength <= DISCARDED_AT_MOST) {
                discard(request, () -> writeError(response, measured, e));
            } else {
                writeError(response, measured, e);
            }
            return true;
        }
        Content.Source.asByteArrayAsync(request, whatsapp.maxBodyBytes())
                .exceptionally(failure -> {
                    throw unreadable(failure instanceof CompletionException ? failure.getCause() : failure);
                })
                .thenCompose(body -> whatsapp.receive(body, request.getHeaders()::get))
                .whenCompleteAsync((answer, failure) -> answer(response, measured, answer, failure), answering);
        return true;
    }

    /**
     * Reads and drops a refused request's body, then answers. Answered while the client still sends, the connection
     * would close with the body unread, and the client could lose the answer to a reset.
     */
    private static void discard(Request request, Runnable then) {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(() -> discard(request, then));
                return;
            }
            chunk.release();
            if (chunk.isLast() || Content.Chunk.isFailure(chunk)) {
                then.run();
                return;
            }
        }
    }

    /** Jetty fails the read with an IllegalStateException when the body grows past the limit (no Content-Length). */
    private InvalidRequestException unreadable(Throwable failure) {
        if (failure instanceof IllegalStateException) {
            return new InvalidRequestException("payload_too_large", 413, ApiErrors.tooLarge(whatsapp.maxBodyBytes()));
        }
        return new InvalidRequestException("unreadable_body", 400, "the body could not be read to its end ("
                + failure.getClass().getSimpleName() + "); nothing was stored");
    }

    private void answer(Response response, Callback callback, Map<String, Object> answer, Throwable failure) {
        if (failure != null) {
            writeError(response, callback, failure instanceof CompletionException ? failure.getCause() : failure);
        } else if (faults.isPresent() && faults.get().failWebhook(Faults.Point.AFTER_COMMIT)) {
            writeError(response, callback, 500, "injected_fault", "failure injected after commit; the events are stored");
        } else {
            write(response, callback, 200, answer);
        }
    }

    private static void writeError(Response response, Callback callback, Throwable failure) {
        ApiErrors.Answer answer = ApiErrors.answer(failure, "POST", PATH);
        if (answer.retryLater()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, DatabaseUnavailableException.RETRY_AFTER_SECONDS);
        }
        write(response, callback, answer.status(), answer.body());
    }

    private static void writeError(Response response, Callback callback, int status, String code, String message) {
        write(response, callback, status, ApiErrors.body(code, message));
    }

    private static void write(Response response, Callback callback, int status, Map<String, Object> body) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        answering.close();
    }
}
