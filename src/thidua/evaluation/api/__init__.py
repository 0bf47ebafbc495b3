"""The evaluation API: `router` (/api/evaluation/…, in `routes`) and the rules engine's
`rules.router` (/api/rules/…); the shapes are in `schemas`."""

from thidua.evaluation.api.routes import router

__all__ = ["router"]
