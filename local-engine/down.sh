#!/usr/bin/env bash
# Stop the engine container and the local registry started by up.sh.
#   --purge   also delete the engine state volume (build cache)
# Registry storage and the built binaries/images stay in the cache dir.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
need podman

rc=0
if podman container exists "$ENGINE_CONTAINER"; then
  # A clean shutdown keeps the build cache; an engine killed before it finished shutting down
  # throws the whole cache away at its next start. So give it its time (S2I_ENGINE_STOP_TIMEOUT).
  t=$(date +%s)
  podman stop -t "$ENGINE_STOP_TIMEOUT" "$ENGINE_CONTAINER" >/dev/null 2>&1 || true
  timeout "$ENGINE_STOP_TIMEOUT" podman wait --condition=exited "$ENGINE_CONTAINER" >/dev/null 2>&1 || true
  if podman rm -f "$ENGINE_CONTAINER" >/dev/null; then
    log "engine container $ENGINE_CONTAINER stopped in $(( $(date +%s) - t ))s and removed (its cache stays in volume $ENGINE_VOLUME)"
  else
    log "FAILED: podman rm -f $ENGINE_CONTAINER"; rc=1
  fi
else
  log "no engine container $ENGINE_CONTAINER"
fi

pid_file="$ENGINE_CACHE/run/registry.pid"
if [[ -f "$pid_file" ]]; then
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "docker-registry serve $ENGINE_CACHE/registry/config.yml"; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "FAILED: registry pid $pid did not stop"; rc=1; else log "registry (pid $pid) stopped"; fi
  else
    log "registry pid $pid from $pid_file is not running (or not ours); nothing to stop"
  fi
  rm -f "$pid_file"
else
  log "no registry pid file"
fi

if [[ "${1:-}" == "--purge" ]]; then
  if podman volume exists "$ENGINE_VOLUME"; then
    if podman volume rm "$ENGINE_VOLUME" >/dev/null; then log "state volume $ENGINE_VOLUME removed"
    else log "FAILED: podman volume rm $ENGINE_VOLUME"; rc=1; fi
  fi
fi
exit $rc
