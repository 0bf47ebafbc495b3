#!/usr/bin/env bash
# Regenerate the lock files that run.sh installs from (pip --require-hashes):
#   requirements/dev.lock   pyproject's dependencies + the [dev] extra + the build backend
#   requirements/base.lock  the same without the dev tools (./run.sh demo), pinned to dev.lock
# Pins already in the lock files are kept; a package added to pyproject.toml is added at its
# newest version. `scripts/lock.sh --upgrade` moves every pin to the newest release,
# `scripts/lock.sh --upgrade-package django` one package. `scripts/lock.sh --check` changes
# nothing and fails when the lock files are not what this script would write (the test command
# runs it: a dependency added to pyproject.toml without relocking is caught there).
# Hashes are those of PyPI's files for every platform (not only this machine's wheel and not a
# local mirror's), so a clean clone anywhere downloads files that match.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
PY=${PYTHON:-python3}

check=false
if [ "${1:-}" = --check ]; then check=true; shift; fi

tool=$(mktemp -d)
trap 'rm -rf "$tool"' EXIT
# uv, pinned, in a throwaway venv: the same resolver for everyone who reruns this script
"$PY" -m venv "$tool/venv"
"$tool/venv/bin/python" -m pip install -q --isolated --disable-pip-version-check --index-url https://pypi.org/simple \
  "uv==$UV_VERSION"
uv=$tool/venv/bin/uv

# Only PyPI, whatever pip/uv configuration this machine has (local mirrors, find-links).
compile() {
  env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u UV_INDEX_URL \
    -u UV_EXTRA_INDEX_URL -u UV_FIND_LINKS -u UV_CONSTRAINT \
    "$uv" pip compile --quiet --no-config --index-url https://pypi.org/simple \
    --universal --python-version 3.11 --generate-hashes --annotation-style line \
    --custom-compile-command scripts/lock.sh "$@"
}

out=requirements
if $check; then
  out=$tool/out
  mkdir -p "$out"
  cp requirements/dev.lock requirements/base.lock "$out"/
fi

# An existing lock file is read back as the preferred pins (-o), so a rerun changes nothing
# unless pyproject.toml did or --upgrade is given.
compile "$@" pyproject.toml requirements/build.in --extra dev -o "$out/dev.lock"
compile pyproject.toml requirements/build.in --constraint "$out/dev.lock" -o "$out/base.lock"
sed -i "s#$out/dev.lock#requirements/dev.lock#" "$out/base.lock"

if $check; then
  if ! diff -q requirements/dev.lock "$out/dev.lock" >/dev/null \
     || ! diff -q requirements/base.lock "$out/base.lock" >/dev/null; then
    diff -u requirements/dev.lock "$out/dev.lock" | grep '^[-+][a-z]' | head -n 20 >&2 || true
    echo "LỖI: requirements/*.lock không khớp pyproject.toml — chạy scripts/lock.sh rồi commit." >&2
    exit 1
  fi
  echo "requirements/*.lock khớp pyproject.toml."
  exit 0
fi

echo "requirements/dev.lock: $(grep -c '==' requirements/dev.lock) gói;" \
  "requirements/base.lock: $(grep -c '==' requirements/base.lock) gói."
