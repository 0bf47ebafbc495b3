"""Local use and the demo: the embedded SQLite database, plain HTTP on 127.0.0.1."""

from .base import *  # noqa: F403
