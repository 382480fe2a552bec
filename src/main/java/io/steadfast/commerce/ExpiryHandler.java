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
 * Each job's payload names its business and the thing ({@code idField}) that expires.
 */
public final class ExpiryHandler implements EventHandler {
    interface Expiry {
        void expire(Handle tx, long businessId, long id);
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
        jobs.forEach(j -> expiry.expire(tx, j.path("business_id").asLong(), j.path(idField).asLong()));
    }
}
