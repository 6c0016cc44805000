#!/usr/bin/env bash
# `make run` and `make dev`: the web server and the job worker side by side; Ctrl+C stops
# both. `make run` serves as in production (gunicorn: one process per core, each with
# threads); `make dev` uses Django's runserver, which reloads on every code change.
# Usage: scripts/run-with-worker.sh BIN_DIR HOST:PORT [serve|dev]
set -euo pipefail
bin=$1
address=$2
mode=${3:-serve}

# The static files, hashed and compressed, as the pages name them (quick when none changed).
"$bin/stenosis-coach" collectstatic --noinput -v0

# The worker runs in its own process group, so Ctrl+C reaches only the server; the worker
# then gets one SIGTERM from us, finishes the job it is running, and stops.
setsid "$bin/stenosis-coach" worker &
worker=$!
stop_worker() {
  kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

if [[ $mode == dev ]]; then
  "$bin/stenosis-coach" runserver "$address"
else
  # Threads answer while another request waits on the database; WEB_PROCESSES and
  # WEB_THREADS change the sizes.
  "$bin/gunicorn" stenosis_coach.wsgi \
    --bind "$address" \
    --workers "${WEB_PROCESSES:-$(nproc)}" \
    --threads "${WEB_THREADS:-4}" \
    --worker-class gthread \
    --access-logfile - \
    --graceful-timeout 10
fi
