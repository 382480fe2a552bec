package io.steadfast.load.plan;

import io.steadfast.config.Config;
import io.steadfast.error.SteadfastException;
import io.steadfast.load.OwnNode;
import io.steadfast.node.Node;
import io.steadfast.simulator.Api;
import java.io.PrintStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a scenario runs against: a Steadfast started in this process (embedded PostgreSQL in a temporary directory,
 * deleted afterwards) or a deployment at {@code --url}, reached with its operator token.
 */
public final class Target implements AutoCloseable {
    private final URI base;
    private final String operatorToken;
    private final OwnNode own;

    private Target(URI base, String operatorToken, OwnNode own) {
        this.base = base;
        this.operatorToken = operatorToken;
        this.own = own;
    }

    /**
     * The deployment at {@code --url}, or one of our own with {@code settings} on top of the environment (the API rate
     * limit off unless a scenario sets one: the plan measures the server, not the limiter).
     */
    static Target of(PlanOptions options, PrintStream out, Map<String, String> settings) {
        if (options.remote()) {
            if (options.apiToken() == null || options.apiToken().isBlank()) {
                throw new SteadfastException("api_token_required", 400, "--url needs the deployment's operator token:"
                        + " pass --api-token or set STEADFAST_API_TOKEN (it is in the data directory's"
                        + " secrets.properties)");
            }
            String url = options.url().endsWith("/") ? options.url() : options.url() + "/";
            return new Target(URI.create(url), options.apiToken(), null);
        }
        Map<String, String> all = new HashMap<>(Map.of(Config.API_RATE_LIMIT, "off"));
        all.putAll(settings);
        OwnNode own = OwnNode.start(out, all);
        return new Target(own.base(), own.node().config().apiToken(), own);
    }

    public URI base() {
        return base;
    }

    public String operatorToken() {
        return operatorToken;
    }

    /** The operator's API client. */
    public Api operator() {
        return new Api(base, operatorToken);
    }

    /** The node, when it runs in this process. */
    public Optional<Node> node() {
        return Optional.ofNullable(own).map(OwnNode::node);
    }

    public String describe() {
        return own != null ? "Steadfast started by this command, embedded PostgreSQL, same machine and process as the"
                + " load generator (" + Runtime.getRuntime().availableProcessors() + " cores)" : base.toString();
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }
}
