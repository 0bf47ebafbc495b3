"""Database backends for the test settings only: the flush that ends a transactional test (and
starts a live-server one) empties every table, the append-only audit table included, so it lifts
the audit triggers for that one statement and puts them back. Production never flushes."""

TABLE = "accounts_auditentry"
