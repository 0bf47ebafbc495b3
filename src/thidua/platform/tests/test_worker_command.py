"""`thidua manage worker` outlives the database going away: it waits, doubling the wait, and
starts again, instead of leaving `thidua serve` without a worker (issue 10 §8: a PostgreSQL
restart killed it). A stop signal still ends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from thidua.platform.management.commands import worker as worker_command
from thidua.platform.models import WorkerBeat

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker(worker_id: str) -> None:
    """The command's own handle (the test settings run tasks without the database backend)."""
    worker_command.Command().handle(worker_id=worker_id, batch=True, startup_delay=False)


def test_the_worker_waits_for_the_database_and_starts_again(monkeypatch: Any, capsys: Any):
    outages = ["the database system is shutting down"] * 3
    runs: list[str] = []
    waits: list[float] = []

    def db_worker(self: Any, *args: Any, worker_id: str, **options: Any) -> None:
        runs.append(worker_id)
        if outages:
            raise OperationalError(outages.pop())

    monkeypatch.setattr(DbWorkerCommand, "handle", db_worker)
    monkeypatch.setattr(worker_command.time, "sleep", waits.append)
    run_worker("w1")
    assert len(runs) == 4  # three outages, then the run that ends normally
    # each outage came after a successful start (the beat was written): the wait starts short
    assert waits == [1.0, 1.0, 1.0]
    assert "tiến trình nền thử lại sau 1 giây" in capsys.readouterr().err
    assert not WorkerBeat.objects.filter(pk="w1").exists()


def test_while_the_database_stays_away_the_wait_doubles_up_to_thirty_seconds(monkeypatch: Any):
    attempts = 0

    real_beat = worker_command.beat

    def away(worker_id: str) -> None:
        nonlocal attempts
        attempts += 1
        if attempts <= 7:
            raise OperationalError("connection refused")
        real_beat(worker_id)

    waits: list[float] = []
    monkeypatch.setattr(worker_command, "beat", away)
    monkeypatch.setattr(DbWorkerCommand, "handle", lambda self, *a, **k: None)
    monkeypatch.setattr(worker_command.time, "sleep", waits.append)
    run_worker("w2")
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_a_stop_signal_still_ends_it(monkeypatch: Any):
    def stopped(self: Any, *args: Any, **options: Any) -> None:
        raise SystemExit(0)  # what the worker's SIGTERM handler does

    monkeypatch.setattr(DbWorkerCommand, "handle", stopped)
    with pytest.raises(SystemExit):
        run_worker("w3")
    assert not WorkerBeat.objects.filter(pk="w3").exists()
