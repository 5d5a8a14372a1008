#!/usr/bin/env bash
# The host packages this project needs on a Debian 12 machine: podman (with runc) to host
# the Dagger engine, docker-registry for its mirror, debootstrap for the Debian base
# images, jq for the engine build.
# Safe to run again: it installs only what is missing and rewrites one config file.
# Without root it only checks, and fails naming what is missing.
set -euo pipefail

log() { echo "setup-host: $*"; }
die() { echo "setup-host: ERROR: $*" >&2; exit 1; }

# debian-archive-keyring lets debootstrap verify trixie too.
PACKAGES=(podman runc debootstrap debian-archive-keyring uidmap fuse-overlayfs
  slirp4netns docker-registry curl jq)

changed=0
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("${pkg}")
  fi
done

if ((${#missing[@]} > 0)); then
  [[ ${EUID} -eq 0 ]] || die "missing packages: ${missing[*]}; run this script as root to install them"
  log "installing: ${missing[*]}"
  changed=1
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  # The package starts its own registry on :5000 (all interfaces) where systemd runs;
  # ours (up.sh) listens on 127.0.0.1 only and needs that port.
  if [[ " ${missing[*]} " == *" docker-registry "* ]] && [[ -d /run/systemd/system ]]; then
    systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  fi
else
  log "packages already installed"
fi

# crun (Debian's default runtime) fails on these hosts ("cgroups in hybrid mode not
# supported"), and podman's default ulimits exceed the host's hard limit of 20000 open files.
conf=/etc/containers/containers.conf
want='[containers]
default_ulimits = ["nofile=1024:20000", "nproc=4096:4096"]

[engine]
runtime = "runc"'
if [[ ! -f ${conf} ]] || [[ "$(cat "${conf}")" != "${want}" ]]; then
  [[ ${EUID} -eq 0 ]] || die "${conf} needs rewriting; run this script as root"
  mkdir -p /etc/containers
  # Write then rename, so a concurrent podman never reads half a file.
  tmp=$(mktemp "${conf}.XXXXXX")
  printf '%s\n' "${want}" >"${tmp}"
  chmod 0644 "${tmp}"
  mv -f "${tmp}" "${conf}"
  log "wrote ${conf}"
  changed=1
fi

# podman pulls from and inspects the local registry (127.0.0.1:5000) over plain HTTP.
regconf=/etc/containers/registries.conf.d/s2i-python-local.conf
regwant='[[registry]]
location = "127.0.0.1:5000"
insecure = true'
if [[ ! -f ${regconf} ]] || [[ "$(cat "${regconf}")" != "${regwant}" ]]; then
  [[ ${EUID} -eq 0 ]] || die "${regconf} needs writing; run this script as root"
  mkdir -p "$(dirname "${regconf}")"
  printf '%s\n' "${regwant}" >"${regconf}"
  log "wrote ${regconf}"
  changed=1
fi

# The smoke test below runs once, and again after anything here changed.
marker="${S2I_CACHE_DIR:-/var/cache/s2i-python}/host-ok"
if ((changed == 0)) && [[ -f ${marker} ]]; then
  exit 0
fi

# Smoke test: a throwaway image holding only /bin/true and the libraries it links,
# so the check needs no registry and no base image.
work=$(mktemp -d)
smoke=localhost/s2i-podman-smoke:latest
cleanup() {
  rm -rf "${work}"
  podman rmi -f "${smoke}" >/dev/null 2>&1 || true
}
trap cleanup EXIT

mkdir -p "${work}/bin"
cp /bin/true "${work}/bin/true"
for lib in $(ldd /bin/true | grep -o '/[^ ]*'); do
  mkdir -p "${work}$(dirname "${lib}")"
  cp -L "${lib}" "${work}${lib}"
done

if ! err=$(tar -C "${work}" -c . | podman import -q - "${smoke}" 2>&1 >/dev/null) \
  || ! err=$(podman run --rm "${smoke}" /bin/true 2>&1); then
  echo "setup-host: FAILED: 'podman run --rm' does not work on this machine: ${err//$'\n'/ }" >&2
  exit 1
fi
if [[ ${EUID} -eq 0 ]]; then mkdir -p "$(dirname "${marker}")" && date -u +%FT%TZ >"${marker}"; fi
log "ok: podman $(podman version --format '{{.Client.Version}}') runs containers with $(podman info --format '{{.Host.OCIRuntime.Name}}')"
