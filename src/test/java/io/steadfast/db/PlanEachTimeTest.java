package io.steadfast.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.steadfast.support.Db;
import io.steadfast.support.TestPostgres;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A statement marked PlanEachTime never settles on a plan kept in the session; an unmarked one does. */
class PlanEachTimeTest {
    static Db db;

    @BeforeAll
    static void database() {
        db = new Db(TestPostgres.freshDatabase());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void a_marked_statement_is_planned_at_every_execution_and_an_unmarked_one_is_kept_after_a_few() {
        try (Handle h = db.database().jdbi().open()) {
            for (int i = 0; i < 10; i++) {
                h.createQuery("SELECT count(*) FROM customer WHERE wa_id = ANY(:ids) /* each time */")
                        .addCustomizer(PlanEachTime.INSTANCE).bindArray("ids", String.class, "w" + i).mapTo(Long.class).one();
                h.createQuery("SELECT count(*) FROM customer WHERE wa_id = ANY(:ids) /* kept */")
                        .bindArray("ids", String.class, "w" + i).mapTo(Long.class).one();
            }
            assertThat(kept(h, "each time")).isZero();
            assertThat(kept(h, "kept")).isEqualTo(1);
        }
    }

    private static long kept(Handle h, String marker) {
        return h.createQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :pattern")
                .bind("pattern", "%/* " + marker + " */%").mapTo(Long.class).one();
    }
}
