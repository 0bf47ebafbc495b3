#!/usr/bin/env bash
# Thi Đua — the two commands of the README.
#   ./run.sh demo [--port N] [--no-serve]   set up, load the demo data, serve http://127.0.0.1:8000
#   ./run.sh test                           set up, run the whole suite on SQLite and PostgreSQL
# Works on a fresh Debian machine as root with the default python3 (>= 3.11); installs what is
# missing (python3-venv, Chromium for the browser tests, PostgreSQL for the second test run).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PY=${PYTHON:-python3}
VENV=$ROOT/.venv

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  # Install Debian packages when we can (root + apt); otherwise say what is missing.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    if [ ! -f /tmp/.thidua-apt-updated ]; then
      apt-get update -qq && touch /tmp/.thidua-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "Cần cài các gói hệ thống: $* (chạy với quyền root hoặc cài thủ công)." >&2
    return 1
  fi
}

check_python() {
  if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "Cần Python >= 3.11 (đang có: $("$PY" --version 2>&1))." >&2
    exit 1
  fi
}

setup_venv() {
  check_python
  if [ ! -x "$VENV/bin/python" ]; then
    say "Tạo môi trường Python (.venv)"
    if ! "$PY" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      apt_install python3-venv
      "$PY" -m venv "$VENV"
    fi
  fi
  # Reinstall only when the lock file changed since the last install: exact versions, every
  # file checked against its hash (requirements/*.lock, made by scripts/lock.sh), then the
  # project itself without touching its dependencies. --no-deps: the lock holds every
  # dependency already; resolving them again let pip look up an extra a package asks for
  # (weasyprint's fonttools[woff]) on the index, where a newer unpinned release stopped the
  # install in hash-checking mode (06/12/2026).
  local lock="requirements/$1.lock"
  local stamp="$VENV/.installed-$(lock_key "$1")"
  if [ ! -f "$stamp" ]; then
    say "Cài đặt thư viện ($1, theo $lock)"
    "$VENV/bin/python" -m pip install -q --no-deps --require-hashes -r "$lock"
    "$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e .
    rm -f "$VENV"/.installed-*
    touch "$stamp"
    # dev.lock holds every package of base.lock at the same version
    if [ "$1" = dev ]; then
      touch "$VENV/.installed-$(lock_key base)"
    fi
  fi
}

# The stamp of an install: the lock file's hash and pyproject's (entry points, package data).
lock_key() {
  printf '%s-%s' "$(cat "requirements/$1.lock" pyproject.toml | sha256sum | cut -c1-16)" "$1"
}

case "${1:-}" in
  demo)
    shift
    if [ -f "$VENV/.installed-$(lock_key dev)" ]; then
      setup_venv dev
    else
      setup_venv base
    fi
    # WeasyPrint (certificates as PDF) needs Pango and HarfBuzz from the system
    if ! "$VENV/bin/python" -c "import weasyprint" >/dev/null 2>&1; then
      say "Cài thư viện hệ thống cho WeasyPrint (Pango, HarfBuzz, phông DejaVu)"
      apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core || true
    fi
    exec "$VENV/bin/thidua" demo "$@"
    ;;
  test)
    shift
    setup_venv dev
    exec bash "$ROOT/scripts/test.sh" "$@"
    ;;
  *)
    echo "Dùng: ./run.sh demo [--port N] [--no-serve]   |   ./run.sh test" >&2
    exit 2
    ;;
esac
