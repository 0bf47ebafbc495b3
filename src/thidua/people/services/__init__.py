"""Roster actions, one module per family: `persons` (records and accounts), `membership` (union
membership periods), `transfers` (moves between units, and the roster side of tree events).
Callers import the services from here."""

from thidua.people.services.figures import figures_rebuild
from thidua.people.services.membership import (
    membership_join,
    membership_leave,
    membership_resume,
    membership_suspend,
)
from thidua.people.services.persons import (
    MEMBER_CODE_PREFIX,
    PERSON_FIELDS,
    member_codes_allocate,
    member_codes_reserve,
    person_create,
    person_link_user,
    person_snapshot,
    person_unit_path,
    person_update,
)
from thidua.people.services.transfers import (
    people_transfer,
    people_transfer_all,
    person_leave_unit,
    person_transfer,
    unit_dissolve_with_roster,
    unit_merge_with_roster,
    unit_split_with_roster,
)

__all__ = [
    "MEMBER_CODE_PREFIX", "PERSON_FIELDS",
    "figures_rebuild", "member_codes_allocate", "member_codes_reserve",
    "membership_join", "membership_leave", "membership_resume",
    "membership_suspend", "people_transfer", "people_transfer_all", "person_create",
    "person_leave_unit", "person_link_user", "person_snapshot", "person_transfer",
    "person_unit_path", "person_update", "unit_dissolve_with_roster", "unit_merge_with_roster",
    "unit_split_with_roster",
]
