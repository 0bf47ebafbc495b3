"""The unit field of the roster's officer forms (adding a person, the transfer, the import and
export): every live unit where the user is an officer in a select when they are few, else a
typed code (a province's officer has thousands of CĐCS below, the TLĐ's the nation's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from thidua.accounts.models import Role
from thidua.org.permissions import scope_paths
from thidua.org.selectors import live_unit_in, unit_options_in
from thidua.platform.actor import Actor
from thidua.platform.forms import UnitOptions


@dataclass(frozen=True)
class OfficerUnits:
    options: UnitOptions
    known: Callable[[str], bool]  # a typed code names one of them

    @property
    def any(self) -> bool:
        """The user is an officer of at least one live unit."""
        return bool(self.options.choices)

    def offers(self, code: str) -> bool:
        """Whether `code` (a page's ?don_vi=) may be the field's initial value."""
        if not code:
            return False
        if self.options.complete:
            return code in dict(self.options.choices)
        return self.known(code)

    def without(self, code: str) -> OfficerUnits:
        """The same offer less the unit `code` (a person's present unit, not a destination)."""
        choices = [c for c in self.options.choices if c[0] != code]
        return replace(self, options=replace(self.options, choices=choices))


def officer_units(user: Actor) -> OfficerUnits:
    """Two bounded reads whatever the size of the user's scope; a typed code costs one more."""
    paths = scope_paths(user, Role.OFFICER)
    return OfficerUnits(unit_options_in(user, paths),
                        lambda code: live_unit_in(user, paths, code) is not None)
