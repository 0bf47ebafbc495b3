"""The JSON API of the tree: `tree` (the visible tree, a subtree, a unit's history), `schemas`."""
