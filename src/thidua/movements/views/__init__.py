"""Pages of movements, plans and registration, one module per page or family of pages. Lists go
through the scoped selectors, objects through the access functions (404 for missing and
out-of-scope alike), changes through the services."""
