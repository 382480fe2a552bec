package io.steadfast.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** Set-based writes bind one array per column ({@code unnest(:a, :b, ...)}); this takes a column from rows. */
public final class Columns {
    private Columns() {
    }

    public static <T, R> List<R> of(Collection<T> rows, Function<T, R> field) {
        List<R> values = new ArrayList<>(rows.size());
        for (T row : rows) {
            values.add(field.apply(row));
        }
        return values;
    }
}
