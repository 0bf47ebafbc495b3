"""Actions on movements, plans, deployments, registration rules and registrations. Each is one
transaction, checks the actor's role on the unit concerned (`movements.permissions`), refuses bad
input whole with a Vietnamese message, and leaves an audit entry. One module per family:

- `movements`: movements and the documents attached to movements and plans;
- `plans`: plans, their deployment down the tree, each unit's acknowledgement and launch;
- `rules`: a unit's kind of year and its registration rule;
- `registrations` on `registrar`: registering people and units (grid, unit, self, API, import).
"""

from thidua.movements.services.movements import (
    Launched,
    attachment_add,
    movement_create,
    movement_launch,
)
from thidua.movements.services.plans import (
    DEPLOYABLE_TYPES,
    Issued,
    deployment_acknowledge,
    deployment_launch,
    plan_create,
    plan_deploy,
    plan_issue,
)
from thidua.movements.services.registrar import (
    COL_COMMITMENTS,
    COL_PLEDGES,
    COL_SUBJECT,
    COL_TITLES,
    BulkResult,
    Mode,
    RegistrationInput,
)
from thidua.movements.services.registrations import (
    GridRow,
    registration_create,
    registration_update,
    registrations_bulk_create,
    registrations_grid_save,
    self_registration_save,
    unit_registration_save,
)
from thidua.movements.services.rules import registration_rule_set, year_setting_set

__all__ = [
    "COL_COMMITMENTS",
    "COL_PLEDGES",
    "COL_SUBJECT",
    "COL_TITLES",
    "DEPLOYABLE_TYPES",
    "BulkResult",
    "GridRow",
    "Issued",
    "Launched",
    "Mode",
    "RegistrationInput",
    "attachment_add",
    "deployment_acknowledge",
    "deployment_launch",
    "movement_create",
    "movement_launch",
    "plan_create",
    "plan_deploy",
    "plan_issue",
    "registration_create",
    "registration_rule_set",
    "registration_update",
    "registrations_bulk_create",
    "registrations_grid_save",
    "self_registration_save",
    "unit_registration_save",
    "year_setting_set",
]
