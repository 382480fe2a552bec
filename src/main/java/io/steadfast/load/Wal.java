package io.steadfast.load;

/** The write-ahead log's position on the node's own PostgreSQL: how many bytes a phase made it write. */
final class Wal {
    private final OwnNode own;

    Wal(OwnNode own) {
        this.own = own;
    }

    String position() {
        return own.node().database().jdbi().withHandle(h -> h.createQuery("SELECT pg_current_wal_lsn()::text")
                .mapTo(String.class).one());
    }

    long bytesSince(String position) {
        return own.node().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), CAST(:at AS pg_lsn))::bigint")
                .bind("at", position).mapTo(Long.class).one());
    }
}
