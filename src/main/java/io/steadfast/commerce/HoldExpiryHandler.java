package io.steadfast.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import io.steadfast.db.BusinessScope;
import io.steadfast.inbox.EventHandler;
import io.steadfast.inbox.InboxEvent;
import io.steadfast.json.Json;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The job each hold gets, due when it expires: releases the hold unless it was captured or voided first. */
public final class HoldExpiryHandler implements EventHandler {
    @Override
    public void handle(List<InboxEvent> events, Handle tx) {
        List<JsonNode> jobs = events.stream().map(e -> Json.parse(e.payload())).toList();
        BusinessScope.actFor(tx, jobs.stream().map(j -> j.path("business_id").asLong()).distinct().toList());
        jobs.forEach(j -> Wallets.expire(tx, j.path("business_id").asLong(), j.path("hold_id").asLong()));
    }
}
