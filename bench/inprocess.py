"""In-process profile of the benchmark's pages: where a request's time goes.

    .venv/bin/python bench/inprocess.py --database-url postgres://…/werkplek_bench [--only queue]
        [--requests 30] [--cprofile] [--top 30]

Runs the pages of `bench/load.py` through Django's full request handler (every middleware) in
this one process, with the production settings `make bench` uses, and prints for each page the
mean time per request, the part of it spent waiting for the database, and the number of queries.
`--cprofile` adds the functions that took the most time (own time and cumulative).

The load benchmark measures throughput against the framework floor; this script says why a page
is as fast as it is. Never part of the test suite: timings are not assertions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # bench/load.py, beside this file


class DatabaseTimer:
    """An execute wrapper that counts the queries and the time spent in them."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/werkplek_bench")
    parser.add_argument("--only", help="only the pages whose name contains this text")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
    parser.add_argument("--cprofile", action="store_true", help="print the hottest functions")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cache-url", default="",
                        help="A shared cache (redis://…); default: this process's memory.")
    args = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="werkplek-profile-static-")
    env = load.production_env(args.database_url, static_root, 0, args.cache_url)
    os.environ.clear()
    os.environ.update(env)
    subprocess.run([str(load.PYTHON), "-m", "django", "collectstatic", "--no-input", "-v0"],
                   env=env, cwd=load.ROOT, check=True)
    sys.path.insert(0, str(load.ROOT / "src"))
    try:
        run(args)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def run(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    prepared = load.prepare(timezone.localdate())
    page_list = load.pages(prepared)
    if args.only:
        page_list = [page for page in page_list if args.only.lower() in page["name"].lower()]
    page_list.insert(0, {"name": "Floor", "paths": [load.FLOOR]})
    print(f"{'page':<45} {'ms/req':>8} {'db ms':>7} {'queries':>8} {'bytes':>8}")
    for page in page_list:
        headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "127.0.0.1"}
        client = Client(**headers)
        if page.get("cookie"):
            name, _sep, value = page["cookie"].partition("=")
            client.cookies[name] = value
        paths = page["paths"]
        for index in range(3):  # warm-up: templates compiled, caches filled
            response = client.get(paths[index % len(paths)])
            if response.status_code != 200:
                sys.exit(f"{page['name']}: {paths[index % len(paths)]} answered "
                         f"{response.status_code}")
        timer = DatabaseTimer()
        profiler = cProfile.Profile() if args.cprofile else None
        size = 0
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            for index in range(args.requests):
                response = client.get(paths[index % len(paths)])
                size += len(response.content)
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
        n = args.requests
        print(f"{page['name'][:45]:<45} {elapsed / n * 1000:8.1f} {timer.seconds / n * 1000:7.1f} "
              f"{timer.queries / n:8.1f} {size // n:8d}", flush=True)
        if profiler:
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
                print(out.getvalue())


if __name__ == "__main__":
    main()
