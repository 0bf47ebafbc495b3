"""Figures of every node's subtree at once (the whole tree page, reports over all units), read
from the maintained figures (`people.figures`): one GROUP BY over their rows, whatever the
number of people; no query per unit."""

from __future__ import annotations

import datetime as dt

from thidua.org.figures import PEOPLE_KEYS as COUNT_KEYS
from thidua.people.figures import all_figures

__all__ = ["COUNT_KEYS", "subtree_counts_all"]


def subtree_counts_all(*, day: dt.date) -> dict[int, dict[str, int]]:
    """For every unit alive at `day` (unit id → figures), the workers, women, members, women
    members and members by status of its subtree as the tree stood at `day`."""
    return all_figures(day=day)
