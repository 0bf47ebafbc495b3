"""Static files with names that carry their content's hash, cached by browsers for a year.

`collectstatic` (which `thidua serve` runs before it starts) copies the files into STATIC_ROOT
under names such as `thidua/app.5512f8cc6b20.css` and writes the manifest `{% static %}` reads.
A hashed name never changes content, so whitenoise (and nginx, docs/nginx/thidua.conf) send it
as immutable for a year; a release that changes a file changes its name. Names without a hash
keep whitenoise's short cache (60 s).

Not whitenoise's compressing storage: brotli at its best level over Swagger UI's bundles made
every `collectstatic`, so every start of `thidua serve`, take two minutes of CPU; nginx
compresses on the fly instead (`gzip on` in its file)."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.middleware import WhiteNoiseMiddleware

#: one year, the longest RFC 9111 lets a cache keep a response as fresh
IMMUTABLE = "public, max-age=31536000, immutable"


class StaticStorage(ManifestStaticFilesStorage):
    """The manifest storage that degrades instead of failing: a file not collected yet (a
    process started without `collectstatic`, e.g. `thidua manage shell`) is linked under its
    plain name, which whitenoise still serves from the apps' folders, rather than turning every
    page into a 500."""

    manifest_strict = False
    # CSS references only: a source-map comment names a .map file that vendored scripts
    # (Chart.js, Swagger UI) do not ship, and following it fails the whole collection
    patterns = (
        ("*.css", (
            r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
            (r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""", """@import url("%(url)s")"""),
        )),
    )

    def stored_name(self, name: str) -> str:
        # no warning here: whitenoise asks for the unhashed form of every name with two dots
        # (htmx.min.js -> htmx.js) to tell hashed names apart, and most have none
        try:
            return str(super().stored_name(name))
        except ValueError:
            return name


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    """whitenoise with a year for hashed names instead of its ten."""

    def add_cache_headers(self, headers: Any, path: str, url: str) -> None:
        super().add_cache_headers(headers, path, url)
        if "immutable" in (headers.get("Cache-Control") or ""):
            headers["Cache-Control"] = IMMUTABLE
