"""The simulated users of bench/bench_web.py (locust, headless; started by it, not by hand).

BENCH_WEB_PLAN names a JSON file: {"password", "think", "users", "seconds", "out", "static",
"personas": {username: [[kind, url, weight], …]}}. Each user logs in as the next persona, then loops: a think time,
then one request of that persona's mix, or the static stylesheet (the baseline). Every answer
but a 200 is an error. Response times are recorded from the moment every user has logged in
(logins are not in the mix) for PLAN["seconds"], then written to `out`."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(open(os.environ["BENCH_WEB_PLAN"]).read())  # noqa: SIM115
PERSONAS = itertools.cycle(sorted(PLAN["personas"]))
STATIC_WEIGHT = 2
TIMES: dict[str, list[float]] = {}
ERRORS: dict[str, list[str]] = {}
WINDOW: dict[str, float] = {}


@events.init.add_listener
def _keep(environment: Any, **kwargs: Any) -> None:
    WINDOW["env"] = environment


def _logged_in() -> None:
    """Measure from the moment the last user has logged in (an Argon2 hash each) for
    PLAN["seconds"], then stop."""
    WINDOW["users"] = WINDOW.get("users", 0) + 1
    if WINDOW["users"] == PLAN["users"]:
        WINDOW["start"] = time.monotonic()
        gevent.spawn_later(PLAN["seconds"], WINDOW["env"].runner.quit)


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, response_length: int,
            exception: BaseException | None, **kwargs: Any) -> None:
    if "start" not in WINDOW or name == "login":
        return
    TIMES.setdefault(name, []).append(response_time)
    if exception is not None:
        ERRORS.setdefault(name, []).append(str(exception)[:200])


@events.quitting.add_listener
def _write(environment: Any, **kwargs: Any) -> None:
    seconds = time.monotonic() - WINDOW.get("start", time.monotonic())
    with open(PLAN["out"], "w") as out:
        json.dump({"seconds": seconds, "times": TIMES, "errors": ERRORS}, out)


class Member(FastHttpUser):
    wait_time = between(PLAN["think"] * 0.5, PLAN["think"] * 1.5)
    network_timeout = 120.0  # a slower answer is an error

    def on_start(self) -> None:
        self.persona = next(PERSONAS)
        self.mix = PLAN["personas"][self.persona]
        page = self.client.get("/dang-nhap/", name="login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        with self.client.post(
                "/dang-nhap/", name="login", allow_redirects=False, catch_response=True,
                data={"csrfmiddlewaretoken": token.group(1) if token else "",
                      "username": self.persona, "password": PLAN["password"]},
                headers={"Referer": f"{self.host}/dang-nhap/"}) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.persona}: {response.status_code}")
        _logged_in()

    @task
    def browse(self) -> None:
        weights = [w for _, _, w in self.mix] + [STATIC_WEIGHT]
        choice = random.choices([*self.mix, ("static", PLAN["static"], 0)], weights)[0]
        kind, url = choice[0], choice[1]
        with self.client.get(url, name=kind, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url}: {response.status_code}")
