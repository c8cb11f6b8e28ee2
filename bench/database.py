"""Create (or re-create) the benchmark database named by a URL: PostgreSQL or a SQLite file.

    python bench/database.py recreate postgres://postgres@127.0.0.1:5432/werkplek_bench

Refuses a database whose name does not contain "bench", so a slip cannot empty a real one."""

import sys
from pathlib import Path
from urllib.parse import urlsplit


def recreate(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to re-create {name!r}: its name must contain 'bench'.")
    if parts.scheme.startswith("postgres"):
        import psycopg

        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    elif parts.scheme == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path("/" + name + suffix).unlink(missing_ok=True)
    else:
        sys.exit(f"Unsupported database URL: {url}")
    print(f"Re-created {name}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "recreate":
        sys.exit(__doc__)
    recreate(sys.argv[2])
