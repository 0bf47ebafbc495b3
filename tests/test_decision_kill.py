"""A process killed with SIGKILL in the middle of issuing a decision (issue 10 §8): its number,
its awards and their golden-book numbers are all gone with it, the proposal is still «voted», and
issuing again takes number 1 and golden-book numbers from 1. The decision is written in one
transaction by the request that issues it (there is no background job to mark failed); this
checks that nothing of that transaction outlives the process. Run against its own SQLite data
folder, as `thidua serve` runs."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection
from tests.test_worker_kill import _env, _python

from thidua.honours.models import ProposalStatus

SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from thidua.testing import make_world
from thidua.honours.tests.conftest import draft, to_vote
w = make_world()
p = to_vote(w, draft(w, people=30))
print(json.dumps({"proposal": p.pk, "status": p.status}))
"""

ISSUE = """
import json, sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection
from thidua.honours import services
from thidua.honours.models import Proposal
from thidua.honours.tests.conftest import SIGNED
from thidua.testing import World

slow = len(sys.argv) > 2

def wait_inside(execute, sql, params, many, context):
    # the decision row and its number are written; stop before its awards
    if slow and 'INSERT INTO "honours_award"' in sql:
        Path(sys.argv[2]).touch()
        time.sleep(120)
    return execute(sql, params, many, context)

p = Proposal.objects.select_related("recipient").get(pk=int(sys.argv[1]))
from django.contrib.auth import get_user_model
actor = get_user_model().objects.get(username="canbo_captren")
with connection.execute_wrapper(wait_inside):  # the service is its own transaction
    d = services.decision_issue(actor=actor, issuer=p.recipient, proposals=[p], signed=SIGNED)
awards = sorted(d.awards.values_list("golden_book_no", flat=True))
print(json.dumps({"number": d.number, "awards": len(awards), "first": awards[0],
                  "last": awards[-1]}))
"""


@pytest.mark.django_db(transaction=True)  # no open transaction: the copy below can read
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SIGKILL")
@pytest.mark.skipif(bool(__import__("os").environ.get("THIDUA_DATABASE_URL")),
                    reason="engine-independent (its own SQLite folder): run once, in the SQLite pass")
def test_sigkill_while_issuing_a_decision_leaves_no_number_and_no_award(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    name = str(connection.settings_dict["NAME"])
    with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as src, \
            closing(sqlite3.connect(home / "thidua.sqlite3")) as dst:
        src.backup(dst)
    setup = _python(home, SETUP)
    assert setup["status"] == ProposalStatus.VOTED
    flag = tmp_path / "inside-the-transaction"
    issuing = subprocess.Popen([sys.executable, "-c", ISSUE, str(setup["proposal"]), str(flag)],
                               env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert issuing.poll() is None, issuing.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the process never reached the awards"
            time.sleep(0.1)
    finally:
        issuing.send_signal(signal.SIGKILL)
        issuing.wait()
    assert issuing.returncode == -signal.SIGKILL

    with closing(sqlite3.connect(home / "thidua.sqlite3")) as db:
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
                  for t in ("honours_decision", "honours_award", "honours_numbersequence")}
        status = db.execute("SELECT status FROM honours_proposal WHERE id = ?",
                            [setup["proposal"]]).fetchone()[0]
    assert counts == {"honours_decision": 0, "honours_award": 0, "honours_numbersequence": 0}
    assert status == ProposalStatus.VOTED

    again = _python(home, ISSUE, str(setup["proposal"]))
    assert again["number"].startswith("1/") and again["awards"] == 30
    assert (again["first"], again["last"]) == (1, 30)
