-- Many businesses on one deployment. The application runs as steadfast_app, a role without superuser or BYPASSRLS,
-- and every table that holds a business's rows lets it see only the businesses its transaction acts for: the
-- per-transaction setting steadfast.businesses, a bigint array literal such as '{7}'. Unset, a transaction sees none.
-- The owner that runs these migrations is not subject to the policies (they are not forced), so migrations and
-- the narrow SECURITY DEFINER lookups below still see every row.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadfast_app') THEN
        CREATE ROLE steadfast_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the database user cannot create the role steadfast_app that Steadfast runs its queries as'
        USING HINT = 'as a superuser, run: CREATE ROLE steadfast_app NOLOGIN; GRANT steadfast_app TO ' || current_user;
END
$$;

DO $$
BEGIN
    -- SET: may SET ROLE to it (PostgreSQL 16 made that an option of a grant); before 16 every member may
    IF NOT pg_has_role(current_user, 'steadfast_app',
                       CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) THEN
        EXECUTE format('GRANT steadfast_app TO %I', current_user);
    END IF;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO steadfast_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO steadfast_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO steadfast_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO steadfast_app;
REVOKE ALL ON flyway_schema_history FROM steadfast_app;

CREATE FUNCTION steadfast_businesses() RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('steadfast.businesses', true), ''), '{}')::bigint[] $$;

-- Credentials. An API key is shown once; only the SHA-256 of the whole key is kept (it is a long random secret, so
-- a fast hash is enough), and its prefix tells keys apart in lists and logs.
CREATE TABLE api_key (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id bigint      NOT NULL REFERENCES business (id),
    name        text        NOT NULL,
    prefix      text        COLLATE "C" NOT NULL,
    key_hash    bytea       NOT NULL,
    role        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CONSTRAINT api_key_prefix UNIQUE (prefix),
    CONSTRAINT api_key_role CHECK (role IN ('admin', 'agent'))
);

CREATE INDEX api_key_by_business ON api_key (business_id, id);

-- People who sign in. The email is unique across businesses: signing in names no business, the email finds it.
CREATE TABLE app_user (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id   bigint      NOT NULL REFERENCES business (id),
    email         text        COLLATE "C" NOT NULL,  -- lower case
    password_hash text        NOT NULL,              -- Argon2id, with its parameters and salt
    role          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT app_user_email UNIQUE (email),
    CONSTRAINT app_user_role CHECK (role IN ('admin', 'agent'))
);

CREATE INDEX app_user_by_business ON app_user (business_id, id);

GRANT SELECT, INSERT, UPDATE, DELETE ON api_key, app_user TO steadfast_app;

-- Every business-scoped table: rows of the businesses the transaction acts for, and only those may be written.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['customer', 'conversation', 'message', 'message_status_report', 'shop_order',
                             'order_audit', 'change_log', 'api_key', 'app_user']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (business_id = ANY (steadfast_businesses()))', t || '_of_business', t);
    END LOOP;
END
$$;

-- Channels route a provider account to its business before any business is known, and registering an account
-- another business holds must answer 409: every transaction may read them; only a business's own may be written.
ALTER TABLE channel ENABLE ROW LEVEL SECURITY;
CREATE POLICY channel_routing ON channel FOR SELECT USING (true);
CREATE POLICY channel_insert ON channel FOR INSERT WITH CHECK (business_id = ANY (steadfast_businesses()));
CREATE POLICY channel_update ON channel FOR UPDATE USING (business_id = ANY (steadfast_businesses()));
CREATE POLICY channel_delete ON channel FOR DELETE USING (business_id = ANY (steadfast_businesses()));

ALTER TABLE channel DROP CONSTRAINT channel_kind;
ALTER TABLE channel ADD CONSTRAINT channel_kind CHECK (kind IN ('whatsapp', 'shopify', 'sms', 'email'));

-- The inbox is the engine's: workers claim events of every business. The API reads it only through this view, which
-- shows the events of the accounts registered to the businesses the transaction acts for. Events of an account no
-- business has registered (auto-registration off) are the default business's to see, register and replay.
CREATE VIEW business_inbox_event WITH (security_barrier = true) AS
SELECT e.*, coalesce(c.business_id, d.id) AS business_id
FROM inbox_event e
LEFT JOIN channel c ON c.kind = e.source AND c.account_id = e.partition_key
CROSS JOIN (SELECT id FROM business WHERE name = 'default') d
WHERE coalesce(c.business_id, d.id) = ANY (steadfast_businesses());

GRANT SELECT ON business_inbox_event TO steadfast_app;

-- Signing in knows no business yet: these two lookups, and nothing else, read credentials across businesses.
CREATE FUNCTION steadfast_api_key(p_prefix text)
    RETURNS TABLE (id bigint, business_id bigint, key_hash bytea, role text, revoked boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT id, business_id, key_hash, role, revoked_at IS NOT NULL FROM api_key WHERE prefix = p_prefix $$;

CREATE FUNCTION steadfast_user_by_email(p_email text)
    RETURNS TABLE (id bigint, business_id bigint, password_hash text, role text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT id, business_id, password_hash, role FROM app_user WHERE email = p_email $$;

REVOKE ALL ON FUNCTION steadfast_api_key(text), steadfast_user_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION steadfast_api_key(text), steadfast_user_by_email(text) TO steadfast_app;

-- A per-business override of STEADFAST_API_RATE_LIMIT, such as '5000/h' or 'off'.
ALTER TABLE business ADD COLUMN api_rate_limit text;

-- API rate limits: one token bucket per credential and limit (Bucket4j's state), shared by every node.
-- A bucket expires (epoch milliseconds) once it would be full again and unused for a while; retention deletes it.
CREATE TABLE rate_limit_bucket (
    id         text COLLATE "C" PRIMARY KEY,
    state      bytea,
    expires_at bigint
);

CREATE INDEX rate_limit_bucket_expiry ON rate_limit_bucket (expires_at);
