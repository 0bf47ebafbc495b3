"""Demo data: the two organisations of the seed articles, built through the services."""
