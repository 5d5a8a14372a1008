#!/usr/bin/env bash
# A throwaway container registry for publish tests: Debian's docker-registry, reachable
# on 127.0.0.1 only, with its config, storage, log and pid file under the cache dir.
#   usage: local-registry.sh start|stop|status
# Env: REGISTRY_PORT (default 5000), S2I_CACHE_DIR (default /var/cache/s2i-python).
# Push to it with: podman push --tls-verify=false IMAGE 127.0.0.1:5000/NAME:TAG
set -euo pipefail

port="${REGISTRY_PORT:-5000}"
dir="${S2I_CACHE_DIR:-/var/cache/s2i-python}/registry/${port}"
pidfile="${dir}/registry.pid"
logfile="${dir}/registry.log"
url="http://127.0.0.1:${port}/v2/"
binary=/usr/bin/docker-registry

log() { echo "local-registry: $*"; }
die() { echo "local-registry: ERROR: $*" >&2; exit 1; }

# The pid from our pid file, if that process is still our registry (pids get reused).
running_pid() {
  local pid
  [[ -f ${pidfile} ]] || return 1
  pid=$(<"${pidfile}")
  [[ ${pid} =~ ^[0-9]+$ ]] || return 1
  [[ "$(readlink "/proc/${pid}/exe" 2>/dev/null)" == "${binary}" ]] || return 1
  echo "${pid}"
}

answers() { curl -fsS -o /dev/null -m 2 "${url}" 2>/dev/null; }

start() {
  local pid
  [[ -x ${binary} ]] || die "${binary} missing: run ci/scripts/setup-podman.sh first"
  if pid=$(running_pid); then
    log "already running (pid ${pid}) on 127.0.0.1:${port}"
  else
    # Someone else on the port (e.g. the packaged systemd service) would answer our probe.
    answers && die "port ${port} is already in use by another process; set REGISTRY_PORT"
    mkdir -p "${dir}/storage"
    cat >"${dir}/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${dir}/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
EOF
    # setsid: the registry must outlive this script and the CI step that ran it.
    setsid "${binary}" serve "${dir}/config.yml" >>"${logfile}" 2>&1 </dev/null &
    echo $! >"${pidfile}"
    log "started pid $! on 127.0.0.1:${port} (log ${logfile})"
  fi

  for _ in $(seq 1 50); do
    answers && { log "ready: ${url}"; return 0; }
    running_pid >/dev/null || break
    sleep 0.2
  done
  tail -n 20 "${logfile}" >&2 || true
  die "registry did not answer on ${url}"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "${pidfile}"
    log "not running"
    return 0
  fi
  kill "${pid}"
  for _ in $(seq 1 50); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "${pid}" 2>/dev/null && kill -9 "${pid}"
  rm -f "${pidfile}"
  log "stopped pid ${pid}"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then log "running (pid ${pid}) on 127.0.0.1:${port}"; else log "not running"; exit 1; fi
    ;;
  *) die "usage: $0 start|stop|status" ;;
esac
