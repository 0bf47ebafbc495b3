"""The maintained figures (people.figures, ADR 0025) recomputed whole from the records."""

from __future__ import annotations

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.org.permissions import require_new_root
from thidua.people.figures import DEPENDENTS, rebuild_table
from thidua.platform.actor import Actor


@transaction.atomic
def figures_rebuild(*, actor: Actor | None) -> int:
    """Recompute the whole figures table from the periods in bulk (GROUP BYs, then one bulk
    insert): for data written without the services (benchmark fixtures, a restore from another
    system) and to repair what `figures-check` reports, with the figures other apps keep from
    the roster (`DEPENDENTS`: the title figures). Installation-wide administrators and the
    command line (actor None) only. Returns the number of rows."""
    require_new_root(actor)
    rows = rebuild_table()
    kept = {dependent.name: dependent.rebuild() for dependent in DEPENDENTS}
    audit_record(actor=actor, action="figures.rebuild", object_type="figures",
                 after={"rows": rows, **kept})
    return rows + sum(kept.values())
