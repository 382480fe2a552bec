package io.steadfast.load.plan;

import io.steadfast.load.LoadClient;
import io.steadfast.load.WebhookStream;

/**
 * A scenario's signed WhatsApp webhooks, one distinct message each: the warm-up's (request numbers from
 * {@link PlanScenario#WARMUP_OFFSET}) come from a stream of their own, so that the run's messages can be counted apart
 * and every timestamp stays near the first.
 */
final class SignedWebhooks {
    /** Names the run's messages: {@code wamid.<run>.<n>}. */
    final String run = Long.toString(System.currentTimeMillis(), 36);
    private final WebhookStream measured;
    private final WebhookStream warmUp;

    SignedWebhooks(String appSecret, int customers) {
        this.measured = new WebhookStream(appSecret, run, customers);
        this.warmUp = new WebhookStream(appSecret, run + "w", customers);
    }

    LoadClient.Call webhook(long n) {
        return n < PlanScenario.WARMUP_OFFSET ? measured.webhook(n) : warmUp.webhook(n - PlanScenario.WARMUP_OFFSET);
    }
}
