"""`thidua` — the administrator's command line.

    thidua demo [--host H] [--port N] [--no-serve]
    thidua serve [--host H] [--port N] [--no-worker] [--server gunicorn|waitress]
                 [--workers N] [--threads N]
    thidua import members FILE --unit CODE [--dry-run] [--valid-only] [--date D] [--user U]
    thidua export members --unit CODE -o FILE.xlsx [--date D] [--user U]
    thidua stats --unit CODE [--date YYYY-MM-DD] [--format json|text]
    thidua certificates export --decision NUMBER --issuer CODE -o FILE.pdf | certificates verify CODE
    thidua rules check FACTS.json [--rule-set ID] | rules list | rules show ID
    thidua awards list --unit CODE --year Y [--issuer CODE] [--format json|xlsx] [-o FILE] [--user U]
    thidua decisions list --unit CODE --year Y [--format json] [-o FILE] [--user U]
    thidua decisions export NUMBER --issuer CODE --format docx|pdf -o FILE
    thidua report summary --unit CODE --year Y [--since Y0] --format docx|json|md [-o FILE] [--user U]
    thidua backup -o FILE.tar.gz | restore FILE.tar.gz [--yes]
    thidua dump [--unit CODE] [--without-cccd] OUT[.tar] | load IN [--under CODE] [--without-above]
    thidua national [--scale 0.01] [--seed N] [--fingerprint]
    thidua figures-check [--rebuild]
    thidua manage <django manage.py command> ...

THIDUA_HOME selects the data folder; THIDUA_DATABASE_URL=postgres://… selects PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

from thidua.platform import webserver  # no Django at import: `thidua rules` stays light


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings.dev")
    import django

    django.setup()


def _manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings.dev")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["thidua manage", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _call(command: str, *args: str) -> int:
    """Run a management command; a CommandError's message is printed and the exit code is 1."""
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command(command, *args)
    except CommandError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


#: `thidua <records> <verb> …`: the management command that answers (its own options follow).
RECORD_COMMANDS = {
    ("awards", "list"): "awards_list",
    ("decisions", "list"): "decisions_list",
    ("decisions", "export"): "decisions_export",
    ("report", "summary"): "report_summary",
}


def _records(argv: Sequence[str]) -> int:
    command = RECORD_COMMANDS.get((argv[0], argv[1] if len(argv) > 1 else ""))
    if command is None:
        verbs = " | ".join(v for what, v in RECORD_COMMANDS if what == argv[0])
        print(f"Cách dùng: thidua {argv[0]} {verbs} …", file=sys.stderr)
        return 2
    return _call(command, *argv[2:])


def _migrate(*, collect_static: bool = False) -> None:
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if collect_static:
        # before the WSGI app exists: whitenoise lists STATIC_ROOT once, when it is created
        call_command("collectstatic", interactive=False, verbosity=0)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    # SIGTERM/SIGHUP end the process without running `finally` unless turned into an exception
    raise KeyboardInterrupt


def serve(host: str, port: int, worker: bool = True, *, server: str = "gunicorn",
          workers: int | None = None, threads: int | None = None) -> int:
    """Serve the web UI and run the background-job worker beside it: gunicorn with several
    processes (Linux), or waitress in one process (the demo, Windows, `--server waitress`)."""
    _migrate(collect_static=True)
    from django.conf import settings
    from django.db import connections

    # lazy, not a cycle: importing wsgi sets Django up, which must wait for the migration above
    from thidua.wsgi import application

    if server == "gunicorn" and not webserver.gunicorn_available():
        server = "waitress"
    me = os.getpid()
    proc = None
    if worker:
        proc = subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "manage", "worker", "--interval", "1"],
            env=os.environ.copy(),
            preexec_fn=(webserver.die_with_parent  # noqa: PLW1509
                        if sys.platform.startswith("linux") else None),
        )
    db = settings.DATABASES["default"]
    where = db["NAME"] if str(db["ENGINE"]).endswith("sqlite3") else f"PostgreSQL {db['NAME']}"
    print(f"Dữ liệu: {where}")
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and not settings.THIDUA_TRUSTED_PROXY:
        print("Cảnh báo: chưa đặt THIDUA_TRUSTED_PROXY — sau một proxy HTTPS, mọi trang sẽ tự "
              "chuyển hướng về chính nó (docs/deployment.md).", file=sys.stderr)
    code = 0
    try:
        if server == "gunicorn":
            workers = workers or webserver.default_workers()
            threads = threads or webserver.default_threads()
            print(f"Máy chủ web: gunicorn, {workers} tiến trình × {threads} luồng", flush=True)
            print(f"Mở trình duyệt tại: http://{host}:{port}/   (Ctrl+C để dừng)", flush=True)
            # the migration's connections must not be shared by the forked workers
            connections.close_all()
            trusted = settings.THIDUA_TRUSTED_PROXY
            webserver.run_gunicorn(
                webserver.ForwardedFromProxy(application, webserver.TrustedProxy(trusted)),
                webserver.gunicorn_options(host=host, port=port, workers=workers,
                                           threads=threads, trusted_proxy=trusted))
        else:
            from waitress import serve as waitress_serve

            for signum in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, _stop_on_signal)
            print(f"Mở trình duyệt tại: http://{host}:{port}/   (Ctrl+C để dừng)", flush=True)
            waitress_serve(application, host=host, port=port, threads=8, ident="thidua",
                           **webserver.waitress_options(settings.THIDUA_TRUSTED_PROXY))
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:  # gunicorn's master when stopped, and each forked worker's exit
        if os.getpid() != me:
            raise
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        # a forked gunicorn worker unwinds through here too: only the master stops the worker
        if os.getpid() == me and proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    if argv[:1] == ["rules"]:
        # lazy, not a cycle: `thidua rules …` runs without loading Django or the other commands
        from thidua.rules.cli import main as rules_main

        return rules_main(argv[1:])
    if argv[:1] in (["awards"], ["decisions"], ["report"]):
        return _records(argv)
    if argv[:1] in (["backup"], ["restore"]):  # backup -o FILE | restore FILE [--yes]
        return _call(argv[0], *argv[1:])
    if argv[:1] in (["dump"], ["load"]):  # the exchange format (docs/exchange-format.md)
        return _call(argv[0], *argv[1:])
    if argv[:1] == ["national"]:  # the national data set in an empty database
        _migrate()
        return _call("national", *argv[1:])
    if argv[:1] == ["certificates"]:  # export --decision N --issuer C -o F.pdf | verify CODE
        return _call("certificates", *argv[1:])
    if argv[:1] == ["figures-check"]:  # [--rebuild]
        return _call("figures_check", *argv[1:])

    parser = argparse.ArgumentParser(prog="thidua", description="Thi đua – Khen thưởng Công đoàn")
    sub = parser.add_subparsers(dest="command", required=True)

    p_demo = sub.add_parser("demo", help="tạo dữ liệu mẫu và mở giao diện web")
    p_demo.add_argument("--host", default="127.0.0.1")
    p_demo.add_argument("--port", type=int, default=8000)
    p_demo.add_argument("--no-serve", action="store_true", help="chỉ chuẩn bị dữ liệu rồi thoát")

    p_serve = sub.add_parser("serve", help="chạy giao diện web")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--no-worker", action="store_true", help="không chạy tiến trình nền")
    p_serve.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn",
                         help="gunicorn: nhiều tiến trình (Linux); waitress: một tiến trình")
    p_serve.add_argument("--workers", type=int, default=None,
                         help="số tiến trình web (mặc định: số lõi CPU, hoặc THIDUA_WEB_WORKERS)")
    p_serve.add_argument("--threads", type=int, default=None,
                         help="số luồng mỗi tiến trình (mặc định 4, hoặc THIDUA_WEB_THREADS)")

    p_import = sub.add_parser("import", help="nhập danh sách từ Excel/CSV")
    p_import.add_argument("what", choices=["members"])
    p_import.add_argument("file")
    p_import.add_argument("--unit", required=True)
    p_import.add_argument("--dry-run", action="store_true")
    p_import.add_argument("--valid-only", action="store_true")
    p_import.add_argument("--date")
    p_import.add_argument("--user")

    p_export = sub.add_parser("export", help="xuất danh sách ra Excel")
    p_export.add_argument("what", choices=["members"])
    p_export.add_argument("--unit", required=True)
    p_export.add_argument("-o", "--output", required=True)
    p_export.add_argument("--date")
    p_export.add_argument("--user")

    p_stats = sub.add_parser("stats", help="số liệu của một đơn vị và các đơn vị trực thuộc")
    p_stats.add_argument("--unit", required=True)
    p_stats.add_argument("--date")
    p_stats.add_argument("--format", choices=["json", "text"], default="json")

    sub.add_parser("awards", help="danh sách khen thưởng của một đơn vị (list), JSON hoặc .xlsx")
    sub.add_parser("decisions", help="danh sách quyết định (list), xuất một quyết định (export)")
    sub.add_parser("report", help="báo cáo tổng kết thi đua, khen thưởng năm (summary): docx, json, md")
    sub.add_parser("certificates", help="bằng, giấy khen: in PDF đã ký số (export), xác minh mã (verify)")
    sub.add_parser("rules", help="thử bộ quy tắc danh hiệu trên tệp dữ kiện (check, list, show)")
    sub.add_parser("figures-check", help="đối chiếu số liệu đơn vị đang lưu với hồ sơ; --rebuild: "
                   "tính lại toàn bộ")
    sub.add_parser("backup", help="sao lưu dữ liệu, tệp đính kèm, mốc nhật ký: backup -o TỆP")
    sub.add_parser("restore", help="khôi phục từ tệp sao lưu: restore TỆP [--yes]")
    sub.add_parser("dump", help="xuất cây đơn vị và người ra định dạng trao đổi: dump [--unit MÃ] ĐÍCH")
    sub.add_parser("load", help="nạp định dạng trao đổi, tất cả hoặc không gì: load NGUỒN [--under MÃ] "
                   "[--without-above]")
    sub.add_parser("national", help="tạo dữ liệu toàn quốc: national --scale 0,01 [--seed N]")
    sub.add_parser("manage", help="lệnh quản trị Django (manage.py)")

    args = parser.parse_args(argv)

    if args.command == "demo":
        _migrate()
        code = _call("demo_data")
        if code or args.no_serve:
            return code
        return serve(args.host, args.port, server="waitress")  # the demo stays one process
    if args.command == "serve":
        return serve(args.host, args.port, worker=not args.no_worker, server=args.server,
                     workers=args.workers, threads=args.threads)
    if args.command == "import":
        extra = [args.file, "--unit", args.unit]
        extra += ["--dry-run"] if args.dry_run else []
        extra += ["--valid-only"] if args.valid_only else []
        extra += ["--date", args.date] if args.date else []
        extra += ["--user", args.user] if args.user else []
        return _call("import_members", *extra)
    if args.command == "export":
        extra = ["--unit", args.unit, "-o", args.output]
        extra += ["--date", args.date] if args.date else []
        extra += ["--user", args.user] if args.user else []
        return _call("export_members", *extra)
    if args.command == "stats":
        extra = ["--unit", args.unit, "--format", args.format]
        extra += ["--date", args.date] if args.date else []
        return _call("stats", *extra)
    parser.error("lệnh không hợp lệ")
    return 2


if __name__ == "__main__":
    sys.exit(main())
