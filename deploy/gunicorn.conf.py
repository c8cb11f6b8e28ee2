"""Gunicorn in production (and in the load benchmark, bench/load.py):

    gunicorn -c deploy/gunicorn.conf.py werkplek.wsgi

Why this configuration (see docs/performance.md for the measurements):
- sync workers, two per core: a Werkplek request is short and spends its time in Python
  (templates, the ORM) and in PostgreSQL; a process per request in flight uses both cores without
  the GIL's contention that threads bring, and the second worker per core runs while the other
  waits for the database. Slow clients are a reverse proxy's job (nginx buffers the request and
  the response), so a sync worker is never held by a slow network.
- the application is loaded once in the master (`preload_app`): workers start fast and share
  the imported code's memory until they write to it.
- persistent database connections come from CONN_MAX_AGE in the settings (60 s).
- a request that takes longer than 30 s is killed and logged (`timeout`): the longest legitimate
  one, the open-data export, streams the whole register in a few seconds.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count())))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a reverse proxy on the same host or network.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
