package io.steadfast.load;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Drives HTTP requests over many keep-alive connections with Jetty's non-blocking client, and records each
 * request's latency. Closed model: a fixed number of requests in flight. Open model: a fixed arrival rate, with
 * latency counted from when each request was due, so a stalled server cannot hide its queue.
 */
final class LoadClient implements AutoCloseable {
    /** One request to send: where, the body, and extra headers as name/value pairs. */
    record Call(String path, byte[] body, String... headers) {
    }

    /** What one phase measured. */
    record Outcome(long ok, long failed, Duration elapsed, Histogram latencyMicros) {
        double perSecond() {
            return ok / (elapsed.toNanos() / 1e9);
        }
    }

    private final URI base;
    private final HttpClient client = new HttpClient();

    LoadClient(URI base, int connections) {
        this.base = base;
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(1_000_000);
        client.setIdleTimeout(60_000);
        client.setConnectTimeout(10_000);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    /** Keeps {@code inFlight} requests going until {@code duration} is over. */
    Outcome closedLoop(int inFlight, Duration duration, LongFunction<Call> calls, Progress progress) {
        Recorder recorder = new Recorder(3);
        AtomicLong sequence = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        CountDownLatch done = new CountDownLatch(inFlight);
        for (int i = 0; i < inFlight; i++) {
            sendNext(calls, sequence, recorder, ok, failed, deadline, done);
        }
        progress.until(deadline, () -> ok.get());
        await(done, Duration.ofSeconds(60));
        return new Outcome(ok.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start), recorder.getIntervalHistogram());
    }

    private void sendNext(LongFunction<Call> calls, AtomicLong sequence, Recorder recorder, AtomicLong ok,
                          AtomicLong failed, long deadline, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        long sent = System.nanoTime();
        request(calls.apply(sequence.getAndIncrement())).send(result -> {
            recorder.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
            if (!result.isFailed() && result.getResponse().getStatus() == 200) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            sendNext(calls, sequence, recorder, ok, failed, deadline, done);
        });
    }

    /** Starts {@code ratePerSecond} requests a second for {@code duration}, however the server keeps up. */
    Outcome openLoop(int ratePerSecond, Duration duration, LongFunction<Call> calls, Progress progress) {
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long total = (long) ratePerSecond * duration.toSeconds();
        CountDownLatch done = new CountDownLatch((int) total);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        Thread pacer = Thread.ofPlatform().name("load-pacer").start(() -> {
            for (long n = 0; n < total; n++) {
                long due = start + n * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait - 100_000);
                }
                request(calls.apply(n)).send(result -> {
                    recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
                    if (!result.isFailed() && result.getResponse().getStatus() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
            }
        });
        progress.until(start + duration.toNanos(), () -> ok.get());
        await(done, Duration.ofSeconds(60));
        joinQuietly(pacer);
        return new Outcome(ok.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start), recorder.getIntervalHistogram());
    }

    private Request request(Call call) {
        Request request = client.newRequest(base.resolve(call.path()))
                .method(HttpMethod.POST)
                .timeout(30, TimeUnit.SECONDS)
                .body(new BytesRequestContent("application/json", call.body()));
        String[] headers = call.headers();
        request.headers(h -> {
            for (int i = 0; i < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
        });
        return request;
    }

    private static void await(CountDownLatch latch, Duration patience) {
        try {
            if (!latch.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(latch.getCount() + " requests did not finish within " + patience);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // closing a benchmark client: nothing to recover
        }
    }
}
