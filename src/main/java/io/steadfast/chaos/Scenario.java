package io.steadfast.chaos;

import java.util.Set;

/**
 * One chaos scenario: it drives traffic and faults at a deployment, then returns the checker's verdict. Its
 * {@link #invariant()} is the promise it proves, in one line.
 */
public interface Scenario {

    /** What a scenario needs from the deployment besides its HTTP API. */
    enum Need {
        /** Processes and a database this command started, so that it can kill, pause and restart them. */
        PROCESS_CONTROL("needs processes and a database it can kill, pause and restart: run without --url"),
        /** A deployment started with STEADFAST_FAULT_INJECTION=true. */
        FAULT_INJECTION("needs a deployment started with STEADFAST_FAULT_INJECTION=true"),
        /** The Shopify secret, to sign order webhooks. */
        SHOPIFY_SECRET("needs --shopify-secret (or STEADFAST_SHOPIFY_SECRET) to sign Shopify webhooks"),
        /** A deployment that dead-letters events of unregistered channels. */
        CHANNEL_REGISTRATION("needs a deployment started with STEADFAST_AUTO_REGISTER_CHANNELS=false"),
        /** A deployment whose providers are the simulators this command starts (its calls are counted there). */
        PROVIDER_SIMULATORS("needs a deployment that sends to the provider simulators this command starts: run without --url");

        private final String reason;

        Need(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    String name();

    String invariant();

    Set<Need> needs();

    Verdict run(ScenarioRun run) throws Exception;
}
