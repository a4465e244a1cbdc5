"""gunicorn settings for cuakhau in production (and for bench/gate_events.py, which measures them):

    gunicorn -c deploy/gunicorn.conf.py --chdir src cuakhau.wsgi:application

One worker process per core, each with threads: a request spends much of its time waiting on
PostgreSQL (row locks, the commit's WAL flush), and a thread waiting there holds no core, so threads
keep the cores busy while the gate devices post at once (measured in docs/benchmarks.md, "Gate events").
Every thread keeps its own database connection (CONN_MAX_AGE in settings), so workers x threads must
stay well under PostgreSQL's max_connections. Each setting can be overridden from the environment."""

import os

bind = os.environ.get("CUAKHAU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("CUAKHAU_THREADS", "8"))
timeout = int(os.environ.get("CUAKHAU_TIMEOUT", "60"))
# Behind the reverse proxy that terminates HTTPS (README, Configuration): it keeps client connections.
keepalive = 5
accesslog = None  # the proxy logs requests; the audit log records what they changed
errorlog = "-"
