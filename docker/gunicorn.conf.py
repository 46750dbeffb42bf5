"""gunicorn settings for the portal's web container (docker/Dockerfile, docker/compose.yaml).

Threaded workers (gthread): each process serves ``threads`` requests at once, so a slow
request (a large register.csv, a client on a slow link) holds one thread, not a whole
worker, and page requests keep being answered beside it. Rule of thumb: one process
per CPU core (WEB_CONCURRENCY), four threads each (WEB_THREADS); every thread may hold
a database connection, so PostgreSQL needs workers x threads connections for the web.
"""

import os

bind = "0.0.0.0:8000"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# A request that takes longer than this is killed: the largest export takes seconds.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files on tmpfs, not the container's overlay disk.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - gunicorn heartbeat files only, in the container
accesslog = "-"
