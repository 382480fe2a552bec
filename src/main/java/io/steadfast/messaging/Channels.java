package io.steadfast.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.steadfast.config.Config;
import io.steadfast.db.BusinessScope;
import io.steadfast.inbox.PermanentFailure;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Which business a provider account belongs to, and the registration of new accounts. */
public final class Channels {
    public static final String WHATSAPP = "whatsapp";
    public static final String SHOPIFY = "shopify";
    /** An SMS sender number, for outbound messages. */
    public static final String SMS = "sms";
    /** An email sender address, for outbound messages. */
    public static final String EMAIL = "email";
    public static final String DEFAULT_BUSINESS = "default";

    private static final String FIND_BY_ACCOUNTS = """
            SELECT id, business_id, kind, account_id, display_name
            FROM channel
            WHERE kind = :kind AND account_id = ANY(:account_ids)
            """;

    private static final String REGISTER_MISSING = """
            INSERT INTO channel (business_id, kind, account_id, display_name)
            SELECT :business_id, :kind, account_id, display_name
            FROM unnest(:account_ids, :display_names) AS a(account_id, display_name)
            ORDER BY account_id
            ON CONFLICT (kind, account_id) DO NOTHING
            """;

    private static final String LIST = """
            SELECT id, business_id, kind, account_id, display_name
            FROM channel
            WHERE business_id = :business_id
            ORDER BY id
            """;

    private Channels() {
    }

    /**
     * The channels of the given accounts. Accounts not registered yet are registered to the default business
     * when {@code autoRegister} is on, and are missing from the result otherwise. From then on, {@code tx} acts for
     * the businesses of the channels returned, and no other.
     */
    public static Map<String, Channel> resolve(Handle tx, String kind, Map<String, String> displayNameByAccount,
                                               boolean autoRegister) {
        List<String> accounts = List.copyOf(displayNameByAccount.keySet());
        Map<String, Channel> found = find(tx, kind, accounts);
        if (found.size() < accounts.size() && autoRegister) {
            found = registerMissing(tx, kind, displayNameByAccount, found);
        }
        BusinessScope.actFor(tx, found.values().stream().map(Channel::businessId).toList());
        return found;
    }

    /**
     * As {@link #resolve}, for events that need every channel: an unknown account is registered to the default
     * business, or, with auto-registration off, fails the event permanently until the channel exists and it is replayed.
     */
    public static Map<String, Channel> resolveAll(Handle tx, String kind, Map<String, String> displayNameByAccount,
                                                  boolean autoRegister) {
        Map<String, Channel> channels = resolve(tx, kind, displayNameByAccount, autoRegister);
        for (String account : displayNameByAccount.keySet()) {
            if (!channels.containsKey(account)) {
                String what = switch (kind) {
                    case WHATSAPP -> "WhatsApp phone_number_id";
                    case SMS -> "SMS number";
                    case SHOPIFY -> "Shopify shop";
                    default -> kind + " account";
                };
                throw new PermanentFailure("no channel is registered for " + what + " " + account
                        + " and auto-registration is off (" + Config.AUTO_REGISTER_CHANNELS + "=false); register it "
                        + "with POST /v1/channels, then replay this event with POST /v1/inbox/{id}/replay");
            }
        }
        return channels;
    }

    private static Map<String, Channel> registerMissing(Handle tx, String kind, Map<String, String> displayNameByAccount,
                                                        Map<String, Channel> found) {
        List<String> accounts = List.copyOf(displayNameByAccount.keySet());
        List<String> missing = new ArrayList<>();
        List<String> displayNames = new ArrayList<>();
        for (String account : accounts) {
            if (!found.containsKey(account)) {
                missing.add(account);
                displayNames.add(displayNameByAccount.get(account));
            }
        }
        long defaultBusiness = defaultBusinessId(tx);
        BusinessScope.actFor(tx, List.of(defaultBusiness));
        register(tx, kind, missing, displayNames, defaultBusiness);
        return find(tx, kind, accounts);
    }

    /**
     * Registers an account to a business unless it is registered already; returns the channel, new or existing,
     * which may belong to another business.
     */
    public static Channel register(Jdbi jdbi, long businessId, String kind, String accountId, String displayName) {
        return BusinessScope.inBusiness(jdbi, businessId, tx -> {
            register(tx, kind, List.of(accountId), java.util.Collections.singletonList(displayName), businessId);
            return find(tx, kind, List.of(accountId)).get(accountId);
        });
    }

    public static List<Channel> list(Jdbi jdbi, long businessId) {
        return BusinessScope.inBusiness(jdbi, businessId,
                h -> h.createQuery(LIST).bind("business_id", businessId).map(Channels::map).list());
    }

    /** The channels of one kind a business has, oldest first, in the caller's transaction. */
    public static List<Channel> ofKind(Handle h, long businessId, String kind) {
        return h.createQuery("SELECT id, business_id, kind, account_id, display_name FROM channel "
                        + "WHERE business_id = :business_id AND kind = :kind ORDER BY id")
                .bind("business_id", businessId).bind("kind", kind).map(Channels::map).list();
    }

    public static long defaultBusinessId(Jdbi jdbi) {
        return jdbi.withHandle(Channels::defaultBusinessId);
    }

    private static long defaultBusinessId(Handle h) {
        return h.createQuery("SELECT id FROM business WHERE name = :name")
                .bind("name", DEFAULT_BUSINESS).mapTo(Long.class).one();
    }

    public static Optional<Channel> find(Jdbi jdbi, String kind, String accountId) {
        return jdbi.withHandle(h -> Optional.ofNullable(find(h, kind, List.of(accountId)).get(accountId)));
    }

    private static void register(Handle tx, String kind, List<String> accounts, List<String> displayNames,
                                 long businessId) {
        tx.createUpdate(REGISTER_MISSING)
                .bind("business_id", businessId)
                .bind("kind", kind)
                .bindArray("account_ids", String.class, accounts)
                .bindArray("display_names", String.class, displayNames)
                .execute();
    }

    private static Map<String, Channel> find(Handle tx, String kind, List<String> accounts) {
        Map<String, Channel> byAccount = new HashMap<>();
        tx.createQuery(FIND_BY_ACCOUNTS)
                .bind("kind", kind)
                .bindArray("account_ids", String.class, accounts)
                .map(Channels::map)
                .forEach(c -> byAccount.put(c.accountId(), c));
        return byAccount;
    }

    private static Channel map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Channel(rs.getLong("id"), rs.getLong("business_id"), rs.getString("kind"),
                rs.getString("account_id"), rs.getString("display_name"));
    }
}
