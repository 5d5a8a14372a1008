#!/usr/bin/env bash
# The Debian "-slim" base images, made here (no container registry is reachable) and put
# into the engine's mirror registry, so that the rendered Dockerfiles'
# `FROM docker.io/library/debian:<suite>-slim` resolves through the engine's docker.io mirror.
#   usage: base-images.sh [bookworm|trixie|all]     (default: all)
# Platforms: S2I_BASE_PLATFORMS (default linux/amd64; e.g. linux/amd64,linux/arm64, which
# needs emulation: local-engine/emulation.sh). Several platforms become one image index.
# A suite whose registry tag already has every platform costs one HTTP request. Otherwise
# each missing platform's root file system is made with debootstrap (cached as a tarball),
# imported into podman under a local name (localhost/s2i-python-base/...; never an official
# name) and pushed; platforms already in the registry are reused as they are, so their
# digests (and every build cached on them) stay. The local names are removed again.
# Env: S2I_CACHE_DIR (default /var/cache/s2i-python), DEBIAN_MIRROR (default: apt's mirror),
#      S2I_REGISTRY_ADDR (see lib.sh). To rebuild a suite: delete ${S2I_CACHE_DIR}/base/<suite>-<arch>.tar
#      and its tag from the registry (or the registry's storage).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[[ ${EUID} -eq 0 ]] || die "run as root (debootstrap needs it)"
need debootstrap "run local-engine/setup-host.sh"
need podman "run local-engine/setup-host.sh"
need curl
need jq

case "${1:-all}" in
  bookworm | trixie) suites=("$1") ;;
  all) suites=(bookworm trixie) ;;
  *) die "usage: $0 [bookworm|trixie|all]" ;;
esac

cache_dir="${S2I_CACHE_DIR:-/var/cache/s2i-python}/base"
mkdir -p "${cache_dir}"
curl -s -o /dev/null "http://$REGISTRY_ADDR/v2/" || die "registry at http://$REGISTRY_ADDR is not reachable (local-engine/up.sh starts it)"

IFS=, read -r -a platforms <<<"${S2I_BASE_PLATFORMS:-linux/amd64}"
for p in "${platforms[@]}"; do
  [[ $p =~ ^linux/(amd64|arm64)$ ]] || die "S2I_BASE_PLATFORMS: $p is not one of linux/amd64, linux/arm64"
done
ACCEPT='application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'

# "<platform> <digest>" for each platform of a tag in the registry (nothing when it is missing).
# A single image (not an index) is the amd64 image this script pushed before.
registry_platforms() {
  local body
  body=$(curl -s -f -H "Accept: $ACCEPT" "http://$REGISTRY_ADDR/v2/library/debian/manifests/$1-slim" 2>/dev/null) || return 0
  if jq -e '.manifests' >/dev/null 2>&1 <<<"$body"; then
    jq -r '.manifests[] | "\(.platform.os)/\(.platform.architecture) \(.digest)"' <<<"$body"
  else
    local digest
    digest=$(curl -s -I -H "Accept: $ACCEPT" "http://$REGISTRY_ADDR/v2/library/debian/manifests/$1-slim" |
      tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest" {print $2}')
    echo "linux/amd64 $digest"
  fi
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
  local suite=$1 arch=$2 tarball=$3
  root=$(mktemp -d "${cache_dir}/${suite}-${arch}.rootfs.XXXXXX")
  if [[ $arch == amd64 ]]; then
    log "${suite} ${arch}: debootstrap --variant=minbase from ${mirror} (about 45 s)"
  else
    log "${suite} ${arch}: debootstrap --arch ${arch} --variant=minbase from ${mirror}, emulated (about 5 min)"
  fi
  if ! debootstrap --arch "${arch}" --variant=minbase --components=main \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    "${suite}" "${root}" "${mirror}" >"${cache_dir}/${suite}-${arch}.debootstrap.log" 2>&1; then
    tail -n 20 "${cache_dir}/${suite}-${arch}.debootstrap.log" >&2
    die "${suite} ${arch}: debootstrap failed (log: ${cache_dir}/${suite}-${arch}.debootstrap.log)"
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
  have=$(registry_platforms "${suite}")
  missing=()
  for p in "${platforms[@]}"; do grep -q "^$p " <<<"$have" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    log "${suite}: ${ref} has ${platforms[*]}"
    exec {lock}>&-
    continue
  fi
  # Each missing platform as a local image, from its (cached) tarball.
  locals=()
  for p in "${missing[@]}"; do
    arch=${p#linux/}
    tarball="${cache_dir}/${suite}-${arch}.tar"
    [[ -f ${tarball} ]] || build_tarball "${suite}" "${arch}" "${tarball}"
    name="localhost/s2i-python-base/debian:${suite}-slim-${arch}"
    podman import -q --arch "${arch}" --change 'CMD ["bash"]' "${tarball}" "${name}" >/dev/null || die "podman import of ${tarball} failed"
    locals+=("${name}")
  done
  all=$({ printf '%s\n' "${platforms[@]}"; cut -d' ' -f1 <<<"$have"; } | grep . | sort -u)
  if [[ $(wc -l <<<"$all") == 1 ]]; then
    podman push -q --tls-verify=false "${locals[0]}" "docker://${ref}" || die "podman push to ${ref} failed"
  else
    # An image index: the platforms the registry has (by digest, unchanged) and the new ones.
    list="localhost/s2i-python-base/debian:${suite}-slim-index"
    podman manifest rm "${list}" >/dev/null 2>&1 || true
    podman manifest create "${list}" >/dev/null
    while read -r p digest; do
      [[ -n $p ]] && podman manifest add --tls-verify=false "${list}" "docker://$REGISTRY_ADDR/library/debian@${digest}" >/dev/null
    done <<<"$have"
    for name in "${locals[@]}"; do podman manifest add "${list}" "containers-storage:${name}" >/dev/null; done
    podman manifest push -q --all --tls-verify=false "${list}" "docker://${ref}" >/dev/null || die "podman manifest push to ${ref} failed"
    podman manifest rm "${list}" >/dev/null 2>&1 || true
  fi
  for name in "${locals[@]}"; do podman rmi -f "${name}" >/dev/null 2>&1 || true; done
  now=$(registry_platforms "${suite}" | cut -d' ' -f1 | sort | tr '\n' ' ')
  for p in "${platforms[@]}"; do [[ " $now " == *" $p "* ]] || die "after the push, ${ref} lacks ${p} (has: ${now})"; done
  log "${suite}: pushed ${missing[*]} to ${ref} (now: ${now% }) in ${SECONDS}s"
  exec {lock}>&-
done
