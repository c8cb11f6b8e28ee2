"""Load benchmark: Werkplek as in production on the `make bench-data` database, against the
framework floor.

    make bench-data            # once: the data at the Dutch scale in PostgreSQL (werkplek_bench)
    make bench                 # this script: prints the table, writes var/bench/*.json

What it does:
1. Starts gunicorn with `deploy/gunicorn.conf.py` (the production configuration), production
   settings (DEBUG off, the manifest static files collected into a temporary folder, staff
   two-factor on), on the benchmark database, on a free port of 127.0.0.1.
2. Logs in the people the pages are for by writing their sessions (a case handler of the
   partnership with the most open applications, with a verified TOTP device; the
   representative of the enterprise with the most recognitions).
3. Drives load with wrk (one thread, a separate process) at 4 and at 16 connections: for each
   page, `--rounds` rounds of [the floor, the page], each `--duration` seconds after a warm-up.
   The floor is `/status/ok`, a view that returns "ok" through the same middleware stack.
   The machine is shared and noisy: each page's throughput is given as a ratio of the floor's
   in the same round (the median of the rounds), which cancels most of the drift.
4. Streams the open-data CSV export of the whole register: time, size, and the growth of the
   serving worker's peak memory.
5. Reads each worker's resident memory after the load, stops the server, and runs the nightly
   jobs (deadline reminders, expiry reminders, automatic expiry) on the whole data inside a
   transaction that is rolled back (so the data stays as generated): time and queries.

Never part of the test suite: timings are not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
FLOOR = "/status/ok"
BENCH_KEY = "werkplek-bench-only-personal-data-key"


def production_env(database_url: str, static_root: str, port: int,
                   cache_url: str = "") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DEBUG", "WERKPLEK_STAFF_2FA", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "werkplek.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://werkplek.bench.invalid",
        # The key the data was generated with (make bench-data passes the same).
        "PERSONAL_DATA_KEY": os.environ.get("BENCH_PERSONAL_DATA_KEY", BENCH_KEY),
        "STATIC_ROOT": static_root,
        "BIND": f"127.0.0.1:{port}",
        # Capacity is measured, not the per-address limits that production puts before it.
        "WERKPLEK_RATE_LIMITS": "0",
    })
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    if cache_url:  # the shared cache production uses; without it, each worker's own memory
        env["CACHE_URL"] = cache_url
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- preparing the people and the paths -----------------------------------------------------------

def prepare(today: date) -> dict:
    """Sessions and paths, read from the benchmark database (in this process)."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkplek.accounts.models import Membership, Role
    from werkplek.applications.models import Application
    from werkplek.enterprises.models import Enterprise
    from werkplek.recognitions.models import Recognition
    from werkplek.register import selectors as register

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))

    def session_for(user, *, device=None) -> str:
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if device is not None:
            store["otp_device_id"] = device.persistent_id
        store.save()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    # The partnership with the most open applications, and its first case handler.
    busiest = (Application.objects.filter(state__in=Application.OPEN_STATES)
               .values("partnership").annotate(open=Count("pk")).order_by("-open").first())
    if busiest is None:
        sys.exit("The benchmark database holds no open applications: run `make bench-data`.")
    membership = (Membership.objects.filter(role=Role.HANDLER,
                                            partnership_id=busiest["partnership"], is_active=True)
                  .select_related("user", "partnership").order_by("pk").first())
    handler = membership.user
    device, _created = TOTPDevice.objects.get_or_create(user=handler, name="bench",
                                                        defaults={"confirmed": True})
    handler_cookie = session_for(handler, device=device)
    cases = list(Application.objects.filter(partnership_id=busiest["partnership"],
                                            state__in=Application.OPEN_STATES)
                 .order_by("pk").values_list("pk", flat=True)[:200])

    # The enterprise with the most recognitions, and its representative.
    top = (Recognition.objects.values("enterprise").annotate(number=Count("pk"))
           .order_by("-number").first())
    enterprise = Enterprise.objects.get(pk=top["enterprise"])
    representative = (Membership.objects.filter(enterprise=enterprise,
                                                role=Role.REPRESENTATIVE, is_active=True)
                      .select_related("user").order_by("pk").first().user)
    employer_cookie = session_for(representative)

    # The register: the most common programme of the recognitions in force in one province,
    # searched by a word of its name; a sample of results for the result page.
    common = (register.in_force(today=today).filter(unit__province__code="VOV")
              .values("programme__name_nl").annotate(number=Count("pk"))
              .order_by("-number").first())
    word = max(re.findall(r"\w+", common["programme__name_nl"]), key=len).lower()
    workplaces = list(register.in_force(today=today).order_by("?")
                      .values_list("pk", flat=True)[:200])
    return {
        "partnership": membership.partnership.code, "open_applications": busiest["open"],
        "handler": handler.username, "handler_cookie": handler_cookie,
        "enterprise": enterprise.name, "enterprise_recognitions": top["number"],
        "employer_cookie": employer_cookie, "programme_word": word,
        "programme": common["programme__name_nl"], "cases": cases, "workplaces": workplaces,
    }


def pages(prepared: dict) -> list[dict]:
    word = prepared["programme_word"]
    return [
        {"name": "Register search: programme + province",
         "paths": [f"/erkende-werkplekken/?opleiding={word}&provincie=VOV"]},
        {"name": "Register search: postal code within 10 km",
         "paths": ["/erkende-werkplekken/?plaats=9000&straal=10"]},
        {"name": "Register result page",
         "paths": [f"/erkende-werkplekken/{pk}/" for pk in prepared["workplaces"]]},
        {"name": f"Handler queue ({prepared['partnership']})",
         "paths": ["/aanvragen/behandeling/"], "cookie": prepared["handler_cookie"]},
        {"name": "Case page with timeline",
         "paths": [f"/aanvragen/{pk}/dossier/" for pk in prepared["cases"]],
         "cookie": prepared["handler_cookie"]},
        {"name": "Employer dashboard", "paths": ["/account/"],
         "cookie": prepared["employer_cookie"]},
        {"name": "API list: register", "paths": ["/api/v1/register/"]},
    ]


# --- the server -------------------------------------------------------------------------------

class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log_path = env, port, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "werkplek.wsgi"],
            env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, FLOOR)[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"The server did not start: see {self.log_path}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def get(port: int, path: str, cookie: str | None = None, *, stream_to=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"X-Forwarded-Proto": "https",
                                              **({"Cookie": cookie} if cookie else {})})
    with urllib.request.urlopen(request, timeout=120) as response:
        if stream_to is None:
            return response.status, response.read()
        size = 0
        while chunk := response.read(1 << 16):
            size += len(chunk)
            stream_to(chunk)
        return response.status, size


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


# --- wrk ------------------------------------------------------------------------------------

def wrk(port: int, paths: list[str], connections: int, duration: int,
        cookie: str | None = None) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk.lua"), "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += [f"http://127.0.0.1:{port}", "--", *paths]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[key] for key in ("connect", "read", "write", "status",
                                                   "timeout"))
    return result


def check_pages(port: int, page_list: list[dict]) -> None:
    """Every page answers 200 with the rows it should show, before anything is measured."""
    for page in page_list:
        status, body = get(port, page["paths"][0], page.get("cookie"))
        if status != 200:
            sys.exit(f"{page['name']}: {page['paths'][0]} answered {status}")
        page["bytes"] = len(body)


def measure(port: int, page_list: list[dict], *, rounds: int, duration: int,
            connections: tuple[int, ...], log) -> list[dict]:
    results = []
    for page in page_list:
        wrk(port, page["paths"], 4, 2, page.get("cookie"))  # warm-up
        for conns in connections:
            floors, runs = [], []
            for number in range(rounds):
                # The floor with the page's cookie: the same middleware stack reads the same
                # session and user, so the ratio is the page's own work.
                floors.append(wrk(port, [FLOOR], conns, duration, page.get("cookie")))
                runs.append(wrk(port, page["paths"], conns, duration, page.get("cookie")))
                log(f"  {page['name']} c={conns} round {number + 1}: "
                    f"{runs[-1]['rps']:.0f} rps vs floor {floors[-1]['rps']:.0f}")
            results.append({
                "page": page["name"], "connections": conns, "bytes": page.get("bytes"),
                "rps": statistics.median(r["rps"] for r in runs),
                "floor_rps": statistics.median(f["rps"] for f in floors),
                "ratio": statistics.median(r["rps"] / f["rps"] for r, f in zip(runs, floors,
                                                                               strict=True)),
                "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
                "p95_ms": statistics.median(r["p95_us"] for r in runs) / 1000,
                "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
                "floor_p50_ms": statistics.median(f["p50_us"] for f in floors) / 1000,
                "errors": sum(r["errors"] for r in runs),
                "floor_errors": sum(f["errors"] for f in floors),
                "requests": sum(r["requests"] for r in runs),
            })
    return results


def export(server: Server) -> dict:
    """The whole CSV export, streamed; the serving worker's peak memory growth."""
    before = {pid: memory_kb(pid) for pid in server.workers()}
    started = time.monotonic()
    lines = 0

    def count(chunk: bytes) -> None:
        nonlocal lines
        lines += chunk.count(b"\n")

    status, size = get(server.port, "/open-data/erkende-werkplekken.csv", stream_to=count)
    seconds = time.monotonic() - started
    after = {pid: memory_kb(pid) for pid in server.workers()}
    growth = max((after[pid]["VmHWM"] - before[pid]["VmRSS"]) for pid in before if pid in after)
    return {"status": status, "seconds": seconds, "bytes": size, "rows": lines - 1,
            "peak_growth_mb": growth / 1024}


# --- the nightly jobs ---------------------------------------------------------------------------

def jobs(today: date) -> list[dict]:
    """Each daily job over the whole data, in a transaction rolled back afterwards."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from werkplek.applications.reminders import remind_deadlines
    from werkplek.recognitions.services import expire_recognitions, send_end_reminders

    results = []
    for name, job in (("Deadline reminders (remind_deadlines)", remind_deadlines),
                      ("Expiry reminders (send_end_reminders)", send_end_reminders),
                      ("Automatic expiry (expire_recognitions)", expire_recognitions)):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            outcome = job(today=today)
            seconds = time.monotonic() - started
            transaction.set_rollback(True)
        results.append({"job": name, "seconds": seconds, "queries": len(queries),
                        "outcome": str(outcome)})
    return results


# --- the table ----------------------------------------------------------------------------------

def table(results: list[dict], csv_export: dict | None, memory: dict, job_results: list[dict],
          prepared: dict, started: str) -> str:
    lines = [f"Load benchmark of {started} (PostgreSQL, gunicorn as in deploy/gunicorn.conf.py)",
             f"Queue of {prepared['partnership']}: {prepared['open_applications']:,} open "
             f"applications; dashboard of an enterprise with "
             f"{prepared['enterprise_recognitions']:,} recognitions; programme searched: "
             f"“{prepared['programme_word']}”.", "",
             "| Page | conns | req/s | floor req/s | ratio to floor | p50 ms | floor p50 ms | "
             "p95 ms | p99 ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results:
        lines.append(
            f"| {row['page']} | {row['connections']} | {row['rps']:.0f} | "
            f"{row['floor_rps']:.0f} | {row['ratio']:.2f} | {row['p50_ms']:.1f} | "
            f"{row['floor_p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['errors']} |")
    if csv_export:
        lines += ["", f"Open-data CSV export: {csv_export['rows']:,} recognitions, "
                  f"{csv_export['bytes'] / 1e6:.1f} MB in {csv_export['seconds']:.1f} s; the "
                  f"serving worker's peak memory grew by {csv_export['peak_growth_mb']:.1f} MB."]
    lines += ["", "Web workers' resident memory after the benchmark: "
              + ", ".join(f"{kb / 1024:.0f} MB" for kb in memory.values()) + ".", "",
              "| Nightly job | seconds | queries | result |", "|---|---:|---:|---|"]
    for row in job_results:
        lines.append(f"| {row['job']} | {row['seconds']:.2f} | {row['queries']} | "
                     f"{row['outcome']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/werkplek_bench"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", default="4,16")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/9",
                        help="The shared cache of the workers, as in production ('' for none).")
    parser.add_argument("--only", help="Measure only the pages whose name contains this.")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `bash scripts/bench-deps.sh` installs it.")
    started = time.strftime("%d/%m/%Y %H:%M")
    port = free_port()
    static_root = tempfile.mkdtemp(prefix="werkplek-bench-static-")
    env = production_env(args.database_url, static_root, port, args.cache_url)
    os.environ.update({key: env[key] for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                                                 "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
                                                 "SITE_URL", "STATIC_ROOT",
                                                 "PERSONAL_DATA_KEY")})
    if args.cache_url:  # start from an empty cache: nothing kept from another database
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
    sys.path.insert(0, str(ROOT / "src"))
    subprocess.run([str(PYTHON), "-m", "django", "collectstatic", "--no-input", "-v0"],
                   env=env, cwd=ROOT, check=True)

    def log(message: str) -> None:
        print(message, flush=True)

    from django.utils import timezone

    prepared = prepare(timezone.localdate())
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    server = Server(env, port, out_dir / "gunicorn.log")
    server.start()
    try:
        page_list = pages(prepared)
        if args.only:
            page_list = [page for page in page_list if args.only.lower() in page["name"].lower()]
        check_pages(port, page_list)
        log(f"Serving on 127.0.0.1:{port} with {len(server.workers())} workers")
        results = measure(port, page_list, rounds=args.rounds, duration=args.duration,
                          connections=tuple(int(c) for c in args.connections.split(",")),
                          log=log)
        csv_export = None if args.skip_export else export(server)
        memory = {pid: memory_kb(pid)["VmRSS"] for pid in server.workers()}
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    job_results = [] if args.skip_jobs else jobs(timezone.localdate())
    report = table(results, csv_export, memory, job_results, prepared, started)
    print("\n" + report)
    stamp = time.strftime("%Y%m%d-%H%M")
    (out_dir / f"load-{stamp}.md").write_text(report + "\n")
    (out_dir / f"load-{stamp}.json").write_text(json.dumps(
        {"started": started, "pages": results, "export": csv_export, "memory_kb": memory,
         "jobs": job_results, "prepared": {k: v for k, v in prepared.items()
                                           if not k.endswith("cookie")}}, indent=2,
        default=str))


if __name__ == "__main__":
    main()
