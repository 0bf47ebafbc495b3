from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base, creation, operations

from thidua.platform.replicadb import wait_for_replay


class DatabaseCreation(creation.DatabaseCreation):
    def create_test_db(self, verbosity: int = 1, autoclobber: bool = False,
                       serialize: bool | None = True, keepdb: bool = False) -> str:
        # runs after the primary's test database is made and migrated (TEST DEPENDENCIES)
        name = str(self._get_test_db_name())  # type: ignore[attr-defined]
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        wait_for_replay(replica=self.connection.alias)
        return name

    def destroy_test_db(self, old_database_name: str | None = None, verbosity: int = 1,
                        keepdb: bool = False, suffix: str | None = None) -> None:
        self.connection.close()
        if old_database_name is not None:
            settings.DATABASES[self.connection.alias]["NAME"] = old_database_name
            self.connection.settings_dict["NAME"] = old_database_name


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Sequence[str], *, reset_sequences: bool = False,
                  allow_cascade: bool = False) -> list[str]:
        return []  # the primary's flush reaches the replica


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    ops_class = DatabaseOperations
