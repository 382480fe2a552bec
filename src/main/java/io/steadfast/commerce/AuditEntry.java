package io.steadfast.commerce;

import io.steadfast.db.BusinessScope;
import io.steadfast.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** One admin action as the audit keeps it: who did what to which entity, and the entity before and after. */
public record AuditEntry(long id, String entity, long entityId, String actor, String action, String before,
                         String after, Instant at) {

    /** The audit of one entity (or of every entity of the kind, when {@code entityId} is 0), oldest first, after a row. */
    public static List<AuditEntry> of(Jdbi jdbi, long businessId, String entity, long entityId, long afterId, int limit) {
        return BusinessScope.inBusiness(jdbi, businessId, h -> h.createQuery("""
                        SELECT id, entity, entity_id, actor, action, before::text, after::text, at FROM admin_audit
                        WHERE business_id = :business_id AND entity = :entity AND (:entity_id = 0 OR entity_id = :entity_id)
                          AND id > :after
                        ORDER BY id LIMIT :limit
                        """)
                .bind("business_id", businessId).bind("entity", entity).bind("entity_id", entityId)
                .bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), rs.getString("entity"), rs.getLong("entity_id"),
                        rs.getString("actor"), rs.getString("action"), rs.getString("before"), rs.getString("after"),
                        rs.getObject("at", OffsetDateTime.class).toInstant()))
                .list());
    }

    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("entity", entity);
        json.put("entity_id", entityId);
        json.put("actor", actor);
        json.put("action", action);
        json.put("before", before == null ? null : Json.parse(before));
        json.put("after", after == null ? null : Json.parse(after));
        json.put("at", at.toString());
        return json;
    }
}
