"""gunicorn settings for cuakhau in production (and for bench/gate_events.py, which measures them):

    gunicorn -c deploy/gunicorn.conf.py --chdir src cuakhau.wsgi:application

One worker process per core, each with 4 threads: a request spends much of its time waiting on
PostgreSQL (row locks, the commit's WAL flush), and a thread waiting there holds no core, so threads
keep the cores busy while the gate devices post at once; 4 did better than 8 with 8 and with 16
devices posting at once (docs/benchmarks.md, "Gate events").
The server seals audit events in the background (AUDIT_SEAL, docs/architecture.md): one sealer thread
per worker chains the events of every request of the last 100 ms in one transaction, instead of each
request running its own seal before it answers.
Every thread keeps its own database connection (CONN_MAX_AGE in settings), so workers x threads must
stay well under PostgreSQL's max_connections. Each setting can be overridden from the environment."""

import os

os.environ.setdefault("AUDIT_SEAL", "background")  # the workers' settings read it

bind = os.environ.get("CUAKHAU_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("CUAKHAU_THREADS", "4"))
timeout = int(os.environ.get("CUAKHAU_TIMEOUT", "60"))
# Behind the reverse proxy that terminates HTTPS (README, Configuration): it keeps client connections.
keepalive = 5
accesslog = None  # the proxy logs requests; the audit log records what they changed
errorlog = "-"


def worker_exit(server, worker):
    """A worker stopping gracefully first seals what its sealer thread has not (a killed one leaves it
    to the next seal of any process, or to the per-minute `cuakhau audit seal`)."""
    from cuakhau.core.audit_chain import background_sealer

    background_sealer.stop()
