package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.json.Json;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The job a hold or a cart gets, due when it expires: releases what it set aside unless something resolved it first.
 * Each job's payload names its business and the thing ({@code idField}) that expires. A batch is handed over per
 * business, whole, so that the expiry can lock what it releases in one order across the batch (no deadlock with a
 * checkout, or with another worker's batch).
 */
public final class ExpiryHandler implements EventHandler {
    interface Expiry {
        void expire(Handle tx, long businessId, List<Long> ids);
    }

    private final String idField;
    private final Expiry expiry;

    private ExpiryHandler(String idField, Expiry expiry) {
        this.idField = idField;
        this.expiry = expiry;
    }

    public static ExpiryHandler holds() {
        return new ExpiryHandler("hold_id", Wallets::expire);
    }

    public static ExpiryHandler carts() {
        return new ExpiryHandler("cart_id", Carts::expire);
    }

    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> jobs = events.stream().map(e -> Json.parse(e.payload())).toList();
        BusinessScope.actFor(tx, jobs.stream().map(j -> j.path("business_id").asLong()).distinct().toList());
        new java.util.TreeMap<>(jobs.stream().collect(java.util.stream.Collectors.groupingBy(
                        j -> j.path("business_id").asLong(),
                        java.util.stream.Collectors.mapping(j -> j.path(idField).asLong(), java.util.stream.Collectors.toList()))))
                .forEach((businessId, ids) -> expiry.expire(tx, businessId, ids));
    }
}
