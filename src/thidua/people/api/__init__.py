"""The JSON API of people: `people` (roster records, import jobs), `units` (a unit with its
figures), `schemas`."""
