#!/usr/bin/env bash
# `make run`: the web server and the job worker side by side; Ctrl+C stops both.
# Usage: scripts/run-with-worker.sh BIN_DIR HOST:PORT
set -euo pipefail
bin=$1
address=$2

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

"$bin/stenosis-coach" runserver "$address"
