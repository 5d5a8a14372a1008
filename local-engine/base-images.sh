#!/usr/bin/env bash
# The Debian "-slim" base images, made here (no container registry is reachable) and put
# into the engine's mirror registry, so that the rendered Dockerfiles'
# `FROM docker.io/library/debian:<suite>-slim` resolves through the engine's docker.io mirror.
#   usage: base-images.sh [bookworm|trixie|all]     (default: all)
# A suite already in the registry costs one HTTP request. Otherwise its root file system
# is made with debootstrap (cached as a tarball), imported into podman under a local name
# (localhost/s2i-python-base/debian:<suite>-slim; never under an official name), pushed
# as $REGISTRY_ADDR/library/debian:<suite>-slim, and the local name removed again.
# Env: S2I_CACHE_DIR (default /var/cache/s2i-python), DEBIAN_MIRROR (default: apt's mirror),
#      S2I_REGISTRY_ADDR (see lib.sh). To rebuild a suite: delete ${S2I_CACHE_DIR}/base/<suite>.tar
#      and its tag from the registry (or the registry's storage).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[[ ${EUID} -eq 0 ]] || die "run as root (debootstrap needs it)"
need debootstrap "run local-engine/setup-host.sh"
need podman "run local-engine/setup-host.sh"
need curl

case "${1:-all}" in
  bookworm | trixie) suites=("$1") ;;
  all) suites=(bookworm trixie) ;;
  *) die "usage: $0 [bookworm|trixie|all]" ;;
esac

cache_dir="${S2I_CACHE_DIR:-/var/cache/s2i-python}/base"
mkdir -p "${cache_dir}"
curl -s -o /dev/null "http://$REGISTRY_ADDR/v2/" || die "registry at http://$REGISTRY_ADDR is not reachable (local-engine/up.sh starts it)"

# HTTP status of a tag in the registry: 200 when it is there.
tag_status() {
  curl -s -o /dev/null -w '%{http_code}' \
    -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/library/debian/manifests/$1-slim" || true
}

# The Debian mirror apt uses on this host: only it is reachable, so debootstrap and the
# image's own apt must use it too. Read deb822 "URIs:" lines and one-line "deb URL" entries.
apt_uris() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f ${f} ]] && awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "${f}"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f ${f} ]] && awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "${f}"
  done
  return 0
}
uris=$(apt_uris)
mirror="${DEBIAN_MIRROR:-$(grep -E '/debian/?$' <<<"${uris}" | head -n1 || true)}"
mirror="${mirror%/}"
[[ -n ${mirror} ]] || die "no Debian mirror found in /etc/apt sources; set DEBIAN_MIRROR"
security="$(grep -E '/debian-security/?$' <<<"${uris}" | head -n1 || true)"
security="${security%/}"
security="${security:-${mirror%/debian}/debian-security}"

# Proxy: apt's own setting wins, then the environment. Debootstrap (wget) reads the
# environment; the image gets an apt.conf entry so RUN apt-get works in builds.
eval "$(apt-config shell apt_http_proxy Acquire::http::Proxy apt_https_proxy Acquire::https::Proxy \
  apt_valid_until Acquire::Check-Valid-Until)"
http_proxy_url="${apt_http_proxy:-${http_proxy:-${HTTP_PROXY:-}}}"
https_proxy_url="${apt_https_proxy:-${https_proxy:-${HTTPS_PROXY:-}}}"
[[ ${http_proxy_url} == DIRECT ]] && http_proxy_url=""
[[ ${https_proxy_url} == DIRECT ]] && https_proxy_url=""
if [[ -n ${http_proxy_url} ]]; then export http_proxy="${http_proxy_url}"; fi
if [[ -n ${https_proxy_url} ]]; then export https_proxy="${https_proxy_url}"; fi

# Turn a debootstrap tree into what Debian's -slim images are.
slim_rootfs() {
  local root=$1 suite=$2

  # Keep docs, man pages and translations out, now and for every later dpkg install.
  cat >"${root}/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
# Slim image: no documentation, manuals or translations (copyright notices stay).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  # ...and remove what debootstrap already unpacked there.
  find "${root}/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "${root}/usr/share/doc" -mindepth 1 -type d -empty -delete
  local d
  for d in man info groff lintian/overrides linda locale; do
    [[ -d ${root}/usr/share/${d} ]] && find "${root}/usr/share/${d}" -mindepth 1 -delete
  done

  # apt as in Debian's container images: no translations, no .deb cache kept after installs.
  cat >"${root}/etc/apt/apt.conf.d/docker-slim" <<'EOF'
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Apt::AutoRemove::SuggestsImportant "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
  {
    [[ -n ${http_proxy_url} ]] && echo "Acquire::http::Proxy \"${http_proxy_url}\";"
    [[ -n ${https_proxy_url} ]] && echo "Acquire::https::Proxy \"${https_proxy_url}\";"
    # A snapshot-style mirror may serve Release files past their Valid-Until date.
    [[ ${apt_valid_until:-} == false ]] && echo 'Acquire::Check-Valid-Until "false";'
    true
  } >"${root}/etc/apt/apt.conf.d/90host-network"
  [[ -s ${root}/etc/apt/apt.conf.d/90host-network ]] || rm -f "${root}/etc/apt/apt.conf.d/90host-network"

  # Same mirror as the host, deb822 format as in Debian's images.
  rm -f "${root}/etc/apt/sources.list"
  cat >"${root}/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: ${suite} ${suite}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${security}
Suites: ${suite}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

  # Services must not start during image builds.
  printf '#!/bin/sh\nexit 101\n' >"${root}/usr/sbin/policy-rc.d"
  chmod 0755 "${root}/usr/sbin/policy-rc.d"

  # Host details and build leftovers do not belong in an image; the runtime supplies
  # /dev, resolv.conf and hostname.
  rm -rf "${root:?}"/var/lib/apt/lists/* "${root}"/var/cache/apt/* "${root}"/var/cache/debconf/*-old \
    "${root:?}"/var/lib/dpkg/*-old "${root:?}"/tmp/* "${root:?}"/var/tmp/* "${root:?}"/dev/* "${root}/debootstrap"
  mkdir -p "${root}/var/lib/apt/lists/partial" "${root}/var/cache/apt/archives/partial"
  find "${root}/var/log" -type f -exec truncate -s 0 {} +
  : >"${root}/etc/resolv.conf"
  : >"${root}/etc/hostname"
  : >"${root}/etc/machine-id"
}

# The tree being built; removed on exit, after unmounting what a failed debootstrap
# may have left mounted in it.
root=""
drop_root() {
  [[ -n ${root} && -d ${root} ]] || return 0
  umount -R "${root}/proc" "${root}/sys" 2>/dev/null || true
  rm -rf --one-file-system "${root}"
  root=""
}
trap drop_root EXIT

build_tarball() {
  local suite=$1 tarball=$2
  root=$(mktemp -d "${cache_dir}/${suite}.rootfs.XXXXXX")
  log "${suite}: debootstrap --variant=minbase from ${mirror} (about 30 s)"
  if ! debootstrap --variant=minbase --components=main \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    "${suite}" "${root}" "${mirror}" >"${cache_dir}/${suite}.debootstrap.log" 2>&1; then
    tail -n 20 "${cache_dir}/${suite}.debootstrap.log" >&2
    die "${suite}: debootstrap failed (log: ${cache_dir}/${suite}.debootstrap.log)"
  fi
  slim_rootfs "${root}" "${suite}"
  log "${suite}: slim tree $(du -sh "${root}" | cut -f1)"
  tar --numeric-owner --xattrs -C "${root}" -cf "${tarball}.part" .
  mv -f "${tarball}.part" "${tarball}"
  drop_root
}

for suite in "${suites[@]}"; do
  SECONDS=0
  ref="$REGISTRY_ADDR/library/debian:${suite}-slim"
  # One build per suite at a time, even if two jobs run this script together.
  exec {lock}>"${cache_dir}/${suite}.lock"
  flock "${lock}"
  if [[ $(tag_status "${suite}") == 200 ]]; then
    log "${suite}: ${ref} is in the registry"
  else
    tarball="${cache_dir}/${suite}.tar"
    [[ -f ${tarball} ]] || build_tarball "${suite}" "${tarball}"
    local_name="localhost/s2i-python-base/debian:${suite}-slim"
    podman import -q --change 'CMD ["bash"]' "${tarball}" "${local_name}" >/dev/null || die "podman import of ${tarball} failed"
    podman push -q --tls-verify=false "${local_name}" "docker://${ref}" || die "podman push to ${ref} failed"
    podman rmi -f "${local_name}" >/dev/null 2>&1 || true
    [[ $(tag_status "${suite}") == 200 ]] || die "after the push, ${ref} is not in the registry"
    log "${suite}: pushed ${ref} in ${SECONDS}s"
  fi
  exec {lock}>&-
done
