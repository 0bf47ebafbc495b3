#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite, then pytest on PostgreSQL (started if needed).
# With CI=true a missing PostgreSQL or Chromium is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
export PATH="$PWD/$VENV/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  if [ ! -f /tmp/.thidua-apt-updated ]; then apt-get update -qq && touch /tmp/.thidua-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- Chromium for the browser tests (Debian's package; no browser download) ---
if [ ! -x /usr/bin/chromium ] && can_apt; then
  say "Cài Chromium cho kiểm thử trình duyệt"
  apt_install chromium chromium-driver fonts-liberation fonts-dejavu-core || true
fi
if [ ! -x /usr/bin/chromium ] && [ "${CI:-}" = true ]; then
  echo "LỖI: thiếu Chromium (/usr/bin/chromium) — CI không được bỏ qua kiểm thử trình duyệt." >&2
  exit 1
fi

# --- LibreOffice and poppler: tests/documents converts every generated .docx to PDF and reads it
# back; Liberation Serif has the metrics of Times New Roman, the font of the templates ---
if { ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null \
     || ! fc-list 2>/dev/null | grep -qi "Liberation Serif"; } && can_apt; then
  say "Cài LibreOffice (không giao diện), poppler-utils và phông Liberation cho kiểm thử văn bản"
  apt_install libreoffice-writer-nogui poppler-utils fonts-liberation || true
fi
if ! command -v soffice >/dev/null && [ "${CI:-}" = true ]; then
  echo "LỖI: thiếu LibreOffice (soffice) — CI không được bỏ qua kiểm thử văn bản .docx." >&2
  exit 1
fi

# --- PDF, QR and signatures: WeasyPrint's libraries, pdfsig (poppler) validates the signed PDFs,
# zbarimg decodes the QR codes printed on them ---
if ! python -c "import weasyprint" >/dev/null 2>&1 && can_apt; then
  say "Cài thư viện hệ thống cho WeasyPrint (Pango, HarfBuzz, phông DejaVu)"
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core || true
fi
if { ! command -v zbarimg >/dev/null || ! command -v pdfsig >/dev/null; } && can_apt; then
  say "Cài zbar-tools và poppler-utils cho kiểm thử mã QR và chữ ký số"
  apt_install zbar-tools poppler-utils || true
fi
if { ! command -v zbarimg >/dev/null || ! command -v pdfsig >/dev/null; } && [ "${CI:-}" = true ]; then
  echo "LỖI: thiếu zbarimg hoặc pdfsig — CI không được bỏ qua kiểm thử mã QR và chữ ký số." >&2
  exit 1
fi

# --- nginx and openssl: tests/production runs docs/nginx/thidua.conf for real (its own ports and
# configuration, in the foreground); the package must not start Debian's nginx service ---
has_nginx() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }
if { ! has_nginx || ! command -v openssl >/dev/null; } && can_apt; then
  say "Cài nginx và openssl cho kiểm thử triển khai sau HTTPS"
  if [ -e /usr/sbin/policy-rc.d ]; then
    apt_install nginx openssl || true
  else
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt_install nginx openssl || true
    rm -f /usr/sbin/policy-rc.d
  fi
fi
if { ! has_nginx || ! command -v openssl >/dev/null; } && [ "${CI:-}" = true ]; then
  echo "LỖI: thiếu nginx hoặc openssl — CI không được bỏ qua kiểm thử triển khai sau HTTPS." >&2
  exit 1
fi

# --- PostgreSQL: start it, or install it, and find a way to connect ---
pg_url=""
pg_try() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null && can_apt; then
    say "Cài PostgreSQL"
    apt_install postgresql postgresql-contrib || return 1
  fi
  if command -v pg_lsclusters >/dev/null; then
    local ver
    ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
    if [ -n "$ver" ] && ! pg_lsclusters -h 2>/dev/null | grep -q online; then
      say "Khởi động PostgreSQL $ver"
      pg_ctlcluster --skip-systemctl-redirect "$ver" main start || return 1
      sleep 1
    fi
  fi
  for candidate in "${THIDUA_TEST_PG_URL:-}" postgres://postgres@127.0.0.1:5432/postgres "postgres:///postgres"; do
    [ -n "$candidate" ] || continue
    if pg_try "$candidate"; then pg_url=${candidate%/postgres}; return 0; fi
  done
  # Fresh Debian: TCP needs a password and the socket uses peer auth; make root a superuser.
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    su postgres -c "createuser -s root" >/dev/null 2>&1 || true
    if pg_try "postgres:///postgres"; then pg_url="postgres://"; return 0; fi
  fi
  return 1
}

# --- The README's first command, as a new user runs it: a clean clone, an empty data folder ---
demo_from_clean_clone() {
  local tmp log
  tmp=$(mktemp -d)
  log="$tmp/demo.log"
  git clone -q "$PWD" "$tmp/repo"
  if ! (cd "$tmp/repo" && env -u VIRTUAL_ENV -u THIDUA_DATABASE_URL -u DJANGO_SETTINGS_MODULE \
        THIDUA_HOME="$tmp/home" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        ./run.sh demo --no-serve) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "LỖI: ./run.sh demo --no-serve thất bại trên bản sao mới." >&2
    return 1
  fi
  for needle in canbo.cdcs canbo.cdvc lanhdao.ldld quantri doanvien "Mật khẩu chung" "10.141"; do
    if ! grep -q -- "$needle" "$log"; then
      tail -n 40 "$log" >&2
      echo "LỖI: ./run.sh demo không in «$needle»." >&2
      return 1
    fi
  done
  rm -rf "$tmp"
}
if git rev-parse --git-dir >/dev/null 2>&1; then
  say "Lệnh thứ nhất của README trên bản sao mới (./run.sh demo --no-serve)"
  demo_from_clean_clone
elif [ "${CI:-}" = true ]; then
  echo "LỖI: không phải kho git — không thử được lệnh demo trên bản sao mới." >&2
  exit 1
fi

say "Tệp khóa phiên bản khớp pyproject.toml (scripts/lock.sh --check)"
bash scripts/lock.sh --check

say "Kiểm tra mã nguồn (ruff, mypy --strict, hợp đồng phân lớp)"
ruff check src tests bench
PYTHONPATH=src mypy src
PYTHONPATH=src lint-imports

# --- The suite on both databases. Each run is one Python process, so on a machine with two cores
# or more they run side by side (the SQLite run's output is printed when both are done);
# THIDUA_TEST_SERIAL=1 runs them one after the other. Each run has its own temporary folder. ---
runs=$(mktemp -d)
pg_ready=0
if ensure_postgres; then
  pg_ready=1
elif [ "${CI:-}" = true ]; then
  echo "LỖI: không khởi động/kết nối được PostgreSQL — CI phải chạy bộ kiểm thử trên PostgreSQL." >&2
  exit 1
else
  echo "CẢNH BÁO: không có PostgreSQL, bỏ qua lượt kiểm thử thứ hai." >&2
fi
# --- A streaming replica of the local PostgreSQL (scripts/pg-replica.sh, ADR 0028): the router's
# tests (tests/test_replica.py) run against it; without it they are skipped, except in CI ---
replica_url=""
pg_local=0
case "$pg_url" in postgres://|postgres://*@127.0.0.1*|postgres://*@localhost*) pg_local=1 ;; esac
if [ $pg_ready = 1 ] && [ $pg_local = 1 ]; then
  say "Bản sao PostgreSQL (streaming replication) trên cổng ${THIDUA_REPLICA_PORT:-5433}"
  if bash scripts/pg-replica.sh start; then
    replica_url=$(bash scripts/pg-replica.sh url)
  elif [ "${CI:-}" = true ]; then
    echo "LỖI: không khởi động được bản sao PostgreSQL — CI không được bỏ qua kiểm thử bản sao." >&2
    exit 1
  else
    echo "CẢNH BÁO: không có bản sao PostgreSQL, bỏ qua kiểm thử bản sao (tests/test_replica.py)." >&2
  fi
fi
run_pg() {
  THIDUA_DATABASE_URL="${pg_url}/thidua" THIDUA_TEST_DATABASE_NAME=thidua_ci_test \
    THIDUA_REPLICA_URL="$replica_url" pytest -q --create-db --basetemp="$runs/pg" "$@"
}
set +e
if [ $pg_ready = 1 ] && [ "${THIDUA_TEST_SERIAL:-}" != 1 ] && [ "$(nproc)" -ge 2 ]; then
  say "Kiểm thử trên SQLite và PostgreSQL (song song; kết quả SQLite in sau)"
  pytest -q --create-db --basetemp="$runs/sqlite" "$@" >"$runs/sqlite.log" 2>&1 &
  sqlite_pid=$!
  say "Kiểm thử trên PostgreSQL"
  run_pg "$@"
  pg_rc=$?
  wait $sqlite_pid
  sqlite_rc=$?
  say "Kiểm thử trên SQLite"
  cat "$runs/sqlite.log"
else
  say "Kiểm thử trên SQLite"
  pytest -q --create-db --basetemp="$runs/sqlite" "$@"
  sqlite_rc=$?
  pg_rc=0
  if [ $pg_ready = 1 ]; then
    say "Kiểm thử trên PostgreSQL"
    run_pg "$@"
    pg_rc=$?
  fi
fi
set -e
rm -rf "$runs"

echo "SQLite: $([ $sqlite_rc = 0 ] && echo đạt || echo LỖI) — PostgreSQL: $([ $pg_rc = 0 ] && echo đạt || echo LỖI)"
[ $sqlite_rc = 0 ] && [ $pg_rc = 0 ]
