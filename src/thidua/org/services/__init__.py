"""Changes to the tree, one module per family: `events` (create, rename, move, merge, split,
dissolve — each a dated event that re-versions the tree) and `award_lines` (issuers outside the
tree ancestry). Callers import the services from here."""

from thidua.org.services.award_lines import award_line_create
from thidua.org.services.events import (
    AT_START,
    UnitSpec,
    current_version,
    unit_create,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_rename,
    unit_split,
)

__all__ = [
    "AT_START", "UnitSpec", "award_line_create", "current_version", "unit_create", "unit_dissolve",
    "unit_merge", "unit_move", "unit_rename", "unit_split",
]
