package io.steadfast.commerce;

import io.steadfast.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Takes the stock of several lines at once, for carts and orders: one guarded update per line, in product-id order so
 * that two checkouts never wait on each other in a circle (no deadlock). A line whose product is not for sale is a
 * {@code 422} naming the line; lines without enough available are a {@code 409 out_of_stock} naming every short
 * product. Either way the caller's transaction rolls back and nothing is taken.
 */
final class StockLines {
    /** The SQL condition that a product is for sale and has {@code :quantity} available. */
    static final String FOR_SALE_AND_AVAILABLE = "business_id = :business_id AND id = :id AND status = 'active' "
            + "AND deleted_at IS NULL AND on_hand - reserved >= :quantity";
    private StockLines() {
    }

    /** The products of {@code lines}, each for sale; a 422 naming the first line that is not. */
    static Map<Long, Product> forSale(Handle h, long businessId, List<OrderLine> lines) {
        Map<Long, Product> products = h.createQuery("SELECT " + Product.COLUMNS + " FROM product "
                        + "WHERE business_id = :business_id AND id = ANY(:ids)")
                .bind("business_id", businessId).bind("ids", lines.stream().map(OrderLine::productId).toArray(Long[]::new))
                .map((rs, ctx) -> Product.map(rs)).stream()
                .collect(Collectors.toMap(Product::id, Function.identity()));
        for (OrderLine line : lines) {
            Product p = products.get(line.productId());
            if (p == null) {
                throw notForSale(line, "no product has id " + line.productId());
            }
            if (p.deletedAt() != null || !p.status().equals("active")) {
                throw notForSale(line, "product " + p.id() + " (" + p.sku() + ") is "
                        + (p.deletedAt() != null ? "deleted" : p.status()) + ", not for sale");
            }
        }
        String currencies = products.values().stream().map(Product::currency).distinct().sorted()
                .collect(Collectors.joining(", "));
        if (currencies.contains(",")) {
            throw new InvalidRequestException("invalid_order", 422, "items are priced in " + currencies
                    + "; one order is in one currency; nothing was written");
        }
        return products;
    }

    /**
     * Runs {@code update} (bound with {@code business_id}, {@code id} and {@code quantity}; it must keep
     * {@code on_hand - reserved >= :quantity} and the product for sale in its WHERE) for every line, in product-id
     * order, and fails as a whole if any line could not be taken.
     */
    static Map<Long, Product> take(Handle h, long businessId, List<OrderLine> lines, String update) {
        Map<Long, Product> taken = new LinkedHashMap<>();
        List<Map<String, Object>> shortLines = new ArrayList<>();
        for (OrderLine line : lines.stream().sorted(Comparator.comparingLong(OrderLine::productId)).toList()) {
            h.createQuery(update + " RETURNING " + Product.COLUMNS)
                    .bind("business_id", businessId).bind("id", line.productId()).bind("quantity", line.quantity())
                    .map((rs, ctx) -> Product.map(rs)).findOne()
                    .ifPresentOrElse(p -> taken.put(p.id(), p), () -> shortLines.add(shortage(h, businessId, line)));
        }
        if (!shortLines.isEmpty()) {
            throw new InvalidRequestException("out_of_stock", 409, shortLines.stream()
                    .map(s -> "product " + s.get("product_id") + ": " + s.get("requested") + " requested, "
                            + s.get("available") + " available").collect(Collectors.joining("; "))
                    + "; nothing was reserved or taken").with("short", shortLines);
        }
        return taken;
    }

    /** Why a line's update changed nothing: the product left sale meanwhile (422), or there is not enough of it. */
    private static Map<String, Object> shortage(Handle h, long businessId, OrderLine line) {
        Product now = h.createQuery("SELECT " + Product.COLUMNS + " FROM product WHERE business_id = :business_id "
                        + "AND id = :id").bind("business_id", businessId).bind("id", line.productId())
                .map((rs, ctx) -> Product.map(rs)).one();
        if (now.deletedAt() != null || !now.status().equals("active")) {
            throw notForSale(line, "product " + now.id() + " (" + now.sku() + ") is "
                    + (now.deletedAt() != null ? "deleted" : now.status()) + ", not for sale");
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("product_id", line.productId());
        s.put("sku", now.sku());
        s.put("requested", line.quantity());
        s.put("available", Math.max(0, now.available()));
        return s;
    }

    static InvalidRequestException notForSale(OrderLine line, String why) {
        return new InvalidRequestException("invalid_line", 422, line.name() + ": " + why
                + "; nothing was written").with("line", line.index());
    }
}
