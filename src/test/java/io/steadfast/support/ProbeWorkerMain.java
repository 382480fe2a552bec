package io.steadfast.support;

import io.steadfast.config.Config;
import io.steadfast.config.Role;
import io.steadfast.node.Node;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process whose only handler is the probe: started as a real OS process by the tests, so it can be
 * killed with SIGKILL or paused with SIGSTOP. Each batch passes the worker's gate first (see
 * {@link ProbeHandler#waitAtGate}), so a test can hold it mid-batch.
 */
public final class ProbeWorkerMain {
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(Config.ROLE, Role.WORKER.toString());
        String name = env.getOrDefault("PROBE_WORKER", "probe-" + ProcessHandle.current().pid());
        ProbeHandler probe = new ProbeHandler(name, (events, tx) -> ProbeHandler.waitAtGate(name, tx));
        Node node = Node.start(Config.load(env), new Node.Options(Clock.systemUTC(), Map.of(ProbeHandler.TYPE, probe), false));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }));
        System.out.println("probe worker ready");
        stopped.await();
    }
}
