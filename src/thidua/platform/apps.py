from django.apps import AppConfig
from django.db.backends.signals import connection_created

from thidua.platform.collation import register_sqlite
from thidua.platform.privacy import restrict_sqlite


class PlatformConfig(AppConfig):
    """Domain-free mechanisms every app builds on; imports no domain app."""

    name = "thidua.platform"
    label = "platform"
    verbose_name = "Nền tảng"

    def ready(self) -> None:
        # the Vietnamese collation on every SQLite connection (PostgreSQL has it by migration)
        connection_created.connect(register_sqlite, dispatch_uid="thidua.platform.collation")
        # the database file holds personal data: 0600 (with its -wal and -shm)
        connection_created.connect(restrict_sqlite, dispatch_uid="thidua.platform.privacy")
