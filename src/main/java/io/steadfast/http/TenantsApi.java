package io.steadfast.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.steadfast.error.InvalidRequestException;
import io.steadfast.tenant.Access;
import io.steadfast.tenant.ApiKeys;
import io.steadfast.tenant.ApiKeys.KeyView;
import io.steadfast.tenant.Businesses;
import io.steadfast.tenant.Businesses.NewBusiness;
import io.steadfast.tenant.Caller;
import io.steadfast.tenant.Tokens;
import io.steadfast.tenant.Users;
import io.steadfast.tenant.Users.UserView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Businesses (operator only), their API keys and users (admins), and signing in for an access token. */
final class TenantsApi {
    private final Businesses businesses;
    private final ApiKeys keys;
    private final Users users;
    private final Tokens tokens;
    private final ApiRateLimits limits;

    TenantsApi(Businesses businesses, ApiKeys keys, Users users, Tokens tokens, ApiRateLimits limits) {
        this.businesses = businesses;
        this.keys = keys;
        this.users = users;
        this.tokens = tokens;
        this.limits = limits;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/businesses", this::createBusiness);
        routes.get("/v1/businesses", this::listBusinesses);
        routes.patch("/v1/businesses/{id}", this::changeBusiness);
        routes.post("/v1/api-keys", this::createKey);
        routes.get("/v1/api-keys", this::listKeys);
        routes.delete("/v1/api-keys/{id}", this::revokeKey);
        routes.post("/v1/users", this::createUser);
        routes.get("/v1/users", this::listUsers);
        routes.post("/v1/auth/token", this::signIn);
        routes.get("/v1/me", this::me);
    }

    /** Who the credential is: its business, its role, and the user's email or the key's id; what the dashboard shows. */
    private void me(Context ctx) {
        Caller caller = Authentication.caller(ctx);
        Map<String, Object> business = new LinkedHashMap<>();
        business.put("id", caller.businessId());
        business.put("name", businesses.find(caller.businessId()).map(Businesses.BusinessView::name).orElse(null));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("business", business);
        json.put("role", caller.access().sql());
        json.put("credential", caller.credential());
        json.put("operator", caller.isOperator());
        caller.userId().flatMap(id -> users.find(caller.businessId(), id))
                .ifPresent(user -> json.put("email", user.email()));
        ctx.json(json);
    }

    private void createBusiness(Context ctx) {
        Authentication.operator(ctx);
        JsonBody body = JsonBody.of(ctx, "send {\"name\": \"<business name>\", \"api_rate_limit\": \"<optional, such as 5000/h>\"}");
        String name = body.text("name");
        Optional<String> limit = body.optionalText("api_rate_limit");
        NewBusiness created = businesses.create(name, limit);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", created.id());
        json.put("name", created.name());
        json.put("api_key", created.apiKey().key());
        json.put("api_key_id", created.apiKey().id());
        json.put("api_rate_limit", created.apiRateLimit().orElse(null));
        ctx.status(201).json(json);
    }

    private void listBusinesses(Context ctx) {
        Authentication.operator(ctx);
        ctx.json(Map.of("items", businesses.list().stream().map(TenantsApi::businessJson).toList()));
    }

    private void changeBusiness(Context ctx) {
        Authentication.operator(ctx);
        long id = MessagingApi.pathId(ctx, "id");
        JsonBody body = JsonBody.of(ctx, "send {\"api_rate_limit\": \"5000/h\"}, \"off\", or null for the deployment's default");
        if (!body.node().has("api_rate_limit")) {
            throw InvalidRequestException.badRequest("send {\"api_rate_limit\": \"5000/h\"}, \"off\", or null for the "
                    + "deployment's default (STEADFAST_API_RATE_LIMIT)");
        }
        ctx.json(businessJson(businesses.setRateLimit(id, body.optionalText("api_rate_limit"))));
    }

    private static Map<String, Object> businessJson(Businesses.BusinessView b) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", b.id());
        json.put("name", b.name());
        json.put("api_rate_limit", b.apiRateLimit().orElse(null));
        return json;
    }

    private void createKey(Context ctx) {
        Caller caller = Authentication.admin(ctx);
        JsonBody body = JsonBody.of(ctx, "send {\"name\": \"<what the key is for>\", \"role\": \"admin\"|\"agent\"}");
        Access access = body.optionalText("role").map(Access::parse).orElse(Access.ADMIN);
        ApiKeys.NewKey key = keys.create(caller.businessId(), body.text("name"), access);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", key.id());
        json.put("api_key", key.key());
        json.put("prefix", key.prefix());
        json.put("role", access.sql());
        ctx.status(201).json(json);
    }

    private void listKeys(Context ctx) {
        Caller caller = Authentication.admin(ctx);
        ctx.json(Map.of("items", keys.list(caller.businessId()).stream().map(TenantsApi::keyJson).toList()));
    }

    private void revokeKey(Context ctx) {
        Caller caller = Authentication.admin(ctx);
        long id = MessagingApi.pathId(ctx, "id");
        if (!keys.revoke(caller.businessId(), id)) {
            throw InvalidRequestException.notFound("no API key has id " + id);
        }
        ctx.status(204);
    }

    private void createUser(Context ctx) {
        Caller caller = Authentication.admin(ctx);
        JsonBody body = JsonBody.of(ctx, "send {\"email\", \"password\", \"role\": \"admin\"|\"agent\"}");
        String email = body.text("email");
        String password = body.optionalText("password").orElse("");
        Access access = Access.parse(body.text("role"));
        ctx.status(201).json(userJson(users.create(caller.businessId(), email, password, access)));
    }

    private void listUsers(Context ctx) {
        Caller caller = Authentication.admin(ctx);
        ctx.json(Map.of("items", users.list(caller.businessId()).stream().map(TenantsApi::userJson).toList()));
    }

    private void signIn(Context ctx) {
        JsonBody body = JsonBody.of(ctx, "send {\"email\", \"password\"}");
        limits.signIn(ctx, body.text("email"));
        Users.SignedIn user = users.signIn(body.text("email"), body.text("password")).orElseThrow(() ->
                new InvalidRequestException("invalid_credentials", 401, "the email or the password is wrong"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", tokens.issue(user.id(), user.businessId(), user.access()));
        json.put("token_type", "Bearer");
        json.put("expires_in", tokens.lifetime().toSeconds());
        ctx.json(json);
    }

    private static Map<String, Object> keyJson(KeyView k) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", k.id());
        json.put("name", k.name());
        json.put("prefix", k.prefix());
        json.put("role", k.access().sql());
        json.put("created_at", k.createdAt().toString());
        json.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        return json;
    }

    private static Map<String, Object> userJson(UserView u) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", u.id());
        json.put("email", u.email());
        json.put("role", u.access().sql());
        json.put("created_at", u.createdAt().toString());
        return json;
    }
}
