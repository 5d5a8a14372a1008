#!/usr/bin/env bash
# Bring up everything a Dagger call needs on this machine and print the client env:
#   eval "$(local-engine/up.sh)"
#
# Steps (each cached and idempotent; one log line each): 0 host packages (setup-host.sh),
# 1 engine binaries (build-binaries.sh), 2 engine image (engine-image.sh), 3 registry on
# $REGISTRY_ADDR (Debian's docker-registry, own config and storage under the cache dir),
# 4 Debian base images into it (base-images.sh), 5 engine container (privileged, host
# network, state volume) on $ENGINE_ADDR, 6 a session round trip through the engine.
# Two runs at once wait for each other. Env: see lib.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
[[ $(id -u) == 0 ]] || die "must run as root (packages, debootstrap and a privileged engine container)"
mkdir -p "$ENGINE_CACHE"
# One run at a time. flock -o keeps the lock out of the registry and engine processes
# started below, which outlive this script.
if [[ -z ${S2I_UP_LOCKED:-} ]]; then
  S2I_UP_LOCKED=1 exec flock -o "$ENGINE_CACHE/up.lock" "$0" "$@"
fi

step() { log "step $1"; }
t_all=$(date +%s)

step "0/6 host packages"
"$here/setup-host.sh" >&2 || die "step 0 (setup-host.sh) failed, see messages above"
need podman; need curl

run_dir="$ENGINE_CACHE/run"
mkdir -p "$run_dir" "$ENGINE_CACHE/registry/data"

step "1/6 engine binaries (a first build takes 10-15 min)"
"$here/build-binaries.sh" >"$run_dir/binaries.env" || die "step 1 (build-binaries.sh) failed, see messages above"
bindir=$(current_bin_dir)

step "2/6 engine image"
img_out=$("$here/engine-image.sh") || die "step 2 (engine-image.sh) failed, see messages above"
image=${img_out#ENGINE_IMAGE=}

step "3/6 registry on $REGISTRY_ADDR"
need docker-registry "apt-get install docker-registry"
reg_cfg="$ENGINE_CACHE/registry/config.yml"
cat >"$reg_cfg.new" <<EOF
# s2i-python local registry (written by local-engine/up.sh)
version: 0.1
log:
  level: warn
  fields:
    service: s2i-registry
storage:
  filesystem:
    rootdirectory: $ENGINE_CACHE/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
mv "$reg_cfg.new" "$reg_cfg"
reg_pid_file="$run_dir/registry.pid"
reg_running() {
  [[ -f "$reg_pid_file" ]] && kill -0 "$(cat "$reg_pid_file")" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$(cat "$reg_pid_file")/cmdline" | grep -q "docker-registry serve $reg_cfg"
}
if reg_running; then
  log "registry already running (pid $(cat "$reg_pid_file"))"
elif curl -s -D - -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null | grep -qi '^docker-distribution-api-version: registry/2'; then
  # Any registry v2 will do.
  log "a registry we did not start already answers on $REGISTRY_ADDR; using it (down.sh will leave it alone)"
else
  if curl -s -o /dev/null "http://$REGISTRY_ADDR/v2/"; then
    die "step 3: something that is not a registry listens on $REGISTRY_ADDR; stop it or set S2I_REGISTRY_ADDR"
  fi
  setsid docker-registry serve "$reg_cfg" >>"$run_dir/registry.log" 2>&1 </dev/null &
  echo $! >"$reg_pid_file"
  for _ in $(seq 50); do curl -s -o /dev/null "http://$REGISTRY_ADDR/v2/" && break; sleep 0.2; done
  curl -s -o /dev/null "http://$REGISTRY_ADDR/v2/" ||
    { tail -n 20 "$run_dir/registry.log" >&2; die "step 3: registry did not answer on http://$REGISTRY_ADDR/v2/ (log: $run_dir/registry.log)"; }
  log "registry started (pid $(cat "$reg_pid_file"), storage $ENGINE_CACHE/registry/data)"
fi

step "4/6 Debian base images in the registry"
"$here/base-images.sh" all || die "step 4 (base-images.sh) failed, see messages above"

step "5/6 engine container $ENGINE_CONTAINER on $ENGINE_ADDR"
current_image=$(podman inspect --format '{{.ImageName}}' "$ENGINE_CONTAINER" 2>/dev/null || true)
state=$(podman inspect --format '{{.State.Status}}' "$ENGINE_CONTAINER" 2>/dev/null || true)
# "running" alone is not enough: when the session that started the engine was ended, its
# processes are gone but podman's record still says running. Trust it only if the port answers.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/${ENGINE_ADDR##*:}") 2>/dev/null; }
# The emulators registered on the host (the engine looks for them once, at start).
binfmt_now=""
for f in /proc/sys/fs/binfmt_misc/qemu-*; do [[ -e $f ]] && binfmt_now+="${f##*/} "; done
binfmt_seen=$(cat "$run_dir/binfmt-$ENGINE_CONTAINER" 2>/dev/null || true)
if [[ "$state" == running && "$current_image" == "$image" && "$binfmt_now" == "$binfmt_seen" ]] && listening; then
  log "engine already running from $image"
else
  [[ "$state" == running && "$binfmt_now" != "$binfmt_seen" ]] && state="running, but started before the emulators now registered"
  [[ "$state" == running ]] && ! listening && state="running in podman's records, but nothing listens on $ENGINE_ADDR"
  if [[ -n "$state" ]]; then
    log "replacing engine container (state=$state, image=$current_image)"
    # A clean stop keeps the engine's cache; one killed before it shut down throws it away
    # at the next start (minutes of clearing, then a cold cache). Shutting down takes tens of
    # seconds, more on a loaded machine; a stop already under way (a host shutdown, another
    # podman stop) is waited for too, not cut short.
    podman stop -t "$ENGINE_STOP_TIMEOUT" "$ENGINE_CONTAINER" >/dev/null 2>&1 || true
    timeout "$ENGINE_STOP_TIMEOUT" podman wait --condition=exited "$ENGINE_CONTAINER" >/dev/null 2>&1 || true
    # Whether the old engine recorded a clean stop decides whether the new one wipes the cache:
    # keep its last words and say why it did not (seen after a podman stop during a call).
    stopped_log=$run_dir/engine-stopped.log
    podman logs --tail 400 "$ENGINE_CONTAINER" >"$stopped_log" 2>&1 || true
    if ! grep -q 'marked clean shutdown' "$stopped_log"; then
      why=$(grep -m1 -E 'failed to persist|close exiting with error|failed to close' "$stopped_log" | cut -c1-300)
      grep -q 'starting dagql cache close' "$stopped_log" || why=${why:-"it never began to close its cache (killed, or it died)"}
      log "the engine's stop was not clean, so it wipes its cache as it starts: ${why:-no reason in its log}; its last lines: $stopped_log"
    fi
    podman rm -f "$ENGINE_CONTAINER" >/dev/null || die "step 5: podman rm $ENGINE_CONTAINER failed"
  fi
  if listening; then
    die "step 5: port ${ENGINE_ADDR##*:} is already in use; stop whatever listens there or set S2I_ENGINE_ADDR"
  fi
  podman volume exists "$ENGINE_VOLUME" || podman volume create "$ENGINE_VOLUME" >/dev/null ||
    die "step 5: podman volume create $ENGINE_VOLUME failed"
  # As many open files as this host allows (its hard limit may be low, e.g. 20000).
  # (Any --ulimit replaces containers.conf's default_ulimits, so give both.)
  nofile=$(ulimit -Hn); [[ "$nofile" == unlimited ]] && nofile=1048576
  # nproc: podman's runc here refuses values above ~20000 (ENVIRONMENT.md uses
  # 4096); it does not bind root with CAP_SYS_RESOURCE anyway.
  nproc=4096
  podman run -d --name "$ENGINE_CONTAINER" \
    --privileged --network host \
    --pids-limit -1 --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc" \
    -v "$ENGINE_VOLUME:/var/lib/dagger" \
    "$image" --addr "$ENGINE_ADDR" --network-name "$ENGINE_NETWORK" --network-cidr "$ENGINE_CIDR" >/dev/null ||
    die "step 5: podman run of $image failed"
  printf '%s' "$binfmt_now" >"$run_dir/binfmt-$ENGINE_CONTAINER"
fi
# Wait for the listener, watching for an early exit. After an unclean stop (the session that
# started the engine was killed) the engine first wipes its old cache and releases the network
# namespaces it left behind: with a large cache that takes minutes, so wait long and say why.
start_timeout=${S2I_ENGINE_START_TIMEOUT:-900}
t0=$(date +%s); next_report=30
until listening; do
  st=$(podman inspect --format '{{.State.Status}}' "$ENGINE_CONTAINER" 2>/dev/null || echo gone)
  if [[ "$st" != running ]]; then
    podman logs --tail 30 "$ENGINE_CONTAINER" >&2 || true
    die "step 5: engine container is '$st' instead of running (last log lines above; podman logs $ENGINE_CONTAINER)"
  fi
  waited=$(($(date +%s) - t0))
  if ((waited >= start_timeout)); then
    podman logs --tail 30 "$ENGINE_CONTAINER" >&2
    die "step 5: engine did not listen on $ENGINE_ADDR within ${start_timeout}s (S2I_ENGINE_START_TIMEOUT)"
  fi
  if ((waited >= next_report)); then
    last=$(podman logs --tail 1 "$ENGINE_CONTAINER" 2>&1 | cut -c1-160)
    log "still starting after ${waited}s (an engine stopped uncleanly first clears its old cache); last log: $last"
    next_report=$((next_report + 30))
  fi
  sleep 0.5
done
log "engine listening on $ENGINE_ADDR"

step "6/6 session check"
t=$(date +%s)
if ! out=$(_EXPERIMENTAL_DAGGER_RUNNER_HOST="$ENGINE_ADDR" timeout 180 "$bindir/dagger" run true 2>&1); then
  printf '%s\n' "$out" | tail -n 20 >&2
  podman logs --tail 30 "$ENGINE_CONTAINER" >&2 || true
  die "step 6: could not open a session on $ENGINE_ADDR with $bindir/dagger"
fi
log "session ok in $(( $(date +%s) - t ))s; all up in $(( $(date +%s) - t_all ))s"

# One client environment per engine container (the default one's is client.env).
env_file="$run_dir/client.env"
[[ "$ENGINE_CONTAINER" == s2i-dagger-engine ]] || env_file="$run_dir/client-$ENGINE_CONTAINER.env"
cat >"$env_file" <<EOF
export _EXPERIMENTAL_DAGGER_RUNNER_HOST=$ENGINE_ADDR
export _EXPERIMENTAL_DAGGER_CLI_BIN=$bindir/dagger
export DO_NOT_TRACK=1
EOF
log "client env (also in $env_file):"
cat "$env_file"
