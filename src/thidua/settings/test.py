"""Test settings: fast hashing, tasks run inline; PostgreSQL when THIDUA_DATABASE_URL is set."""

import os
import tempfile

os.environ.setdefault("THIDUA_HOME", tempfile.mkdtemp(prefix="thidua-test-"))

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
AXES_FAILURE_LIMIT = 3
# the flush around transactional tests lifts the audit table's append-only triggers (and only it)
DATABASES["default"]["ENGINE"] = "thidua.audit.testdb." + str(  # noqa: F405
    DATABASES["default"]["ENGINE"]).rsplit(".", 1)[1]  # noqa: F405
# checkpoints right after each commit (tests of the throttle set their own interval)
THIDUA_AUDIT_CHECKPOINT_SECONDS = 0
# The replica's test database is the primary's, copied by streaming replication: nothing is
# created there (platform/replicadb); TEST MIRROR would send its queries to the primary instead.
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"]["ENGINE"] = "thidua.platform.replicadb"  # noqa: F405
    DATABASES["replica"]["TEST"] = dict(DATABASES["default"]["TEST"])  # type: ignore[call-overload]  # noqa: F405
# pages render without a `collectstatic` run: plain names (tests of the hashed names collect
# into their own folder with the real storage)
STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
