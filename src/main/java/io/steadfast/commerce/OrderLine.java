package io.steadfast.commerce;

/** One line of a cart or an order as asked: a product and how many, with its place in the request for errors. */
public record OrderLine(int index, long productId, long quantity) {
    /** How an error names this line: {@code items[2]}, as the request numbered it. */
    public String name() {
        return "items[" + index + "]";
    }
}
