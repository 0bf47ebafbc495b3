"""A job for tests/test_worker_share.py: records its number under a unique key, so a job run
twice fails its second run."""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task


@task()
def record_job(n: int) -> None:
    time.sleep(0.02)  # long enough for the two workers to interleave
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO test_worker_share_done (n, pid) VALUES (%s, %s)",
                       [n, os.getpid()])
