#!/usr/bin/env bash
# Assemble the local Dagger engine image from a Debian bookworm (minbase)
# rootfs plus the binaries from build-binaries.sh, and `podman import` it.
#
# Cached twice: the debootstrap'ed base rootfs is kept as a tarball keyed by
# its package list, and the image tag is keyed by everything that goes into
# it (base, binaries, config, entrypoint, this script). If that tag exists in
# podman, nothing is done.
#
# Env: S2I_ENGINE_CACHE, S2I_ENGINE_IMAGE_REPO (default localhost/s2i-dagger-engine),
#      S2I_ENGINE_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# Prints "ENGINE_IMAGE=<repo>:<tag>" on stdout. --base-only: only the rootfs tarball.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

need podman "apt-get install podman"
need debootstrap "apt-get install debootstrap"
[[ $(id -u) == 0 ]] || die "must run as root (debootstrap and a privileged engine)"

mirror=${S2I_ENGINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Debian packages the engine needs at run time: runc (linked where the engine
# expects it), dnsmasq for container DNS, iptables for the bridge network,
# tini as pid 1, git/ssh for git sources, pigz/xz for layer (de)compression.
packages=(ca-certificates runc dnsmasq-base iptables nftables tini git openssh-client
          pigz xz-utils mount e2fsprogs procps iproute2)
pkg_list=$(printf '%s\n' "${packages[@]}" | sort | tr '\n' ',' | sed 's/,$//')
base_key=$(printf 'bookworm minbase %s %s' "$mirror" "$pkg_list" | sha256sum | cut -c1-12)
base_tar="$ENGINE_CACHE/rootfs/engine-base-$base_key.tar"

if [[ -f "$base_tar" ]]; then
  log "base rootfs cached: $base_tar"
else
  log "debootstrap bookworm (minbase) with: $pkg_list"
  mkdir -p "$ENGINE_CACHE/rootfs"
  work=$(mktemp -d "$ENGINE_CACHE/rootfs/debootstrap.XXXXXX")
  t=$(date +%s)
  if ! debootstrap --variant=minbase --include="$pkg_list" bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log" >&2
    die "debootstrap failed (full log: $work/debootstrap.log)"
  fi
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" --numeric-owner -cf "$base_tar.tmp" .
  mv "$base_tar.tmp" "$base_tar"
  rm -rf "$work"
  log "base rootfs built in $(( $(date +%s) - t ))s"
fi

[[ "${1:-}" == "--base-only" ]] && exit 0

bindir=$(current_bin_dir)
version=$(basename "$bindir")
for f in dagger-engine dagger-init dnsname dial-stdio cni/bridge cni/loopback cni/firewall cni/host-local; do
  [[ -x "$bindir/$f" ]] || die "missing binary $bindir/$f; run local-engine/build-binaries.sh"
done

# The builtin TypeScript SDK (module mode: `dagger call` on a module whose dagger.json says
# "sdk": "typescript"), an OCI image layout built by ts-sdk-content.sh.
ts_out=$("$here/ts-sdk-content.sh") || die "the TypeScript SDK content (ts-sdk-content.sh) failed"
ts_content=$(sed -n 's/^TS_SDK_CONTENT=//p' <<<"$ts_out")
ts_manifest=$(sed -n 's/^TS_SDK_MANIFEST=//p' <<<"$ts_out")
[[ -n "$ts_content" && -n "$ts_manifest" ]] || die "ts-sdk-content.sh printed no content or manifest"

# ---- files we add ---------------------------------------------------------
[[ $ENGINE_GC_MIN_FREE =~ ^[0-9]+(%|[kKmMgGtT]?[iI]?[bB]?)$ ]] ||
  die "S2I_ENGINE_GC_MIN_FREE=$ENGINE_GC_MIN_FREE: want a size (such as 20GB) or a percentage of the disk (such as 5%)"
engine_json=$(cat <<EOF
{
  "logLevel": "info",
  "gc": { "reservedSpace": "10GB", "maxUsedSpace": "75%", "minFreeSpace": "$ENGINE_GC_MIN_FREE" },
  "registries": {
    "docker.io": { "mirrors": ["$REGISTRY_ADDR"] },
    "quay.io": { "mirrors": ["$REGISTRY_ADDR/quay"] },
    "registry.access.redhat.com": { "mirrors": ["$REGISTRY_ADDR/redhat"] },
    "ghcr.io": { "mirrors": ["$REGISTRY_ADDR/ghcr"] },
    "$REGISTRY_ADDR": { "http": true, "insecure": true }
  }
}
EOF
)
# BuildKit-level config; registry settings live in engine.json.
engine_toml='# s2i-python local engine: see /etc/dagger/engine.json for registries
debug = false
'
entrypoint=$(cat <<'EOF'
#!/bin/sh
# s2i-python local engine entrypoint.
set -e
# cgroup v2 with a private namespace: leave the root cgroup to child groups,
# as the engine's containers need delegated controllers.
if [ -f /sys/fs/cgroup/cgroup.controllers ] && [ "$(cat /proc/self/cgroup)" = "0::/" ]; then
  mkdir -p /sys/fs/cgroup/init
  while read -r pid; do echo "$pid" > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true; done < /sys/fs/cgroup/cgroup.procs
  sed -e 's/ / +/g' -e 's/^/+/' /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control || true
fi
# Use as many open files as the container is allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec /usr/bin/tini -- /usr/local/bin/dagger-engine --config /etc/dagger/engine.toml "$@"
EOF
)

# The binaries the image holds (not the CLI: a change to dagger-lite keeps the engine running).
bin_sums=$(cd "$bindir" && sha256sum dagger-engine dagger-init dnsname dial-stdio cni/* | sha256sum | cut -c1-16)
image_key=$( { echo "$base_key $bin_sums $ts_manifest"; echo "$engine_json"; echo "$engine_toml"; echo "$entrypoint"; cat "$0"; } |
             sha256sum | cut -c1-12)
image="$ENGINE_IMAGE_REPO:$version-$image_key"

if podman image exists "$image"; then
  log "image up to date: $image"
else
  log "assembling $image"
  t=$(date +%s)
  work=$(mktemp -d "$ENGINE_CACHE/rootfs/image.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  r="$work/root"
  mkdir -p "$r"
  tar -C "$r" -xf "$base_tar"

  install -d "$r/usr/local/bin" "$r/opt/cni/bin" "$r/etc/dagger" "$r/var/lib/dagger" \
             "$r/usr/local/share/dagger/content/blobs" "$r/run/dagger" "$r/usr/local/share/ca-certificates"
  install -m 0755 "$bindir/dagger-engine" "$r/usr/local/bin/dagger-engine"
  install -m 0755 "$bindir/dagger-init" "$r/usr/local/bin/dagger-init"
  install -m 0755 "$bindir/dial-stdio" "$r/usr/bin/dial-stdio"
  ln -sfn dial-stdio "$r/usr/bin/buildctl"
  install -m 0755 "$bindir/dnsname" "$r/opt/cni/bin/dnsname"
  for p in bridge loopback firewall host-local; do install -m 0755 "$bindir/cni/$p" "$r/opt/cni/bin/$p"; done
  # Debian's runc where the engine looks for it.
  ln -sfn /usr/sbin/runc "$r/usr/local/bin/runc"
  # The engine re-links /usr/bin/iptables* to /usr/bin/xtables-*-multi;
  # Debian installs those in /usr/sbin.
  for x in legacy nft; do
    [[ -e "$r/usr/sbin/xtables-$x-multi" ]] || die "rootfs lacks /usr/sbin/xtables-$x-multi"
    ln -sfn "/usr/sbin/xtables-$x-multi" "$r/usr/bin/xtables-$x-multi"
  done
  [[ -x "$r/usr/bin/tini" ]] || die "rootfs lacks /usr/bin/tini"
  [[ -x "$r/usr/sbin/dnsmasq" ]] || die "rootfs lacks /usr/sbin/dnsmasq"
  # The engine's builtin content store: the TypeScript SDK's blobs, found by manifest digest.
  mkdir -p "$r/usr/local/share/dagger/content/blobs/sha256"
  cp "$ts_content"/blobs/sha256/* "$r/usr/local/share/dagger/content/blobs/sha256/" ||
    die "copying the TypeScript SDK content into the image failed"
  printf '%s\n' "$engine_json" >"$r/etc/dagger/engine.json"
  printf '%s' "$engine_toml" >"$r/etc/dagger/engine.toml"
  printf '%s\n' "$entrypoint" >"$r/usr/local/bin/s2i-engine-entrypoint"
  chmod 0755 "$r/usr/local/bin/s2i-engine-entrypoint"

  tar -C "$r" --numeric-owner -c . | podman import --quiet \
    --change 'ENTRYPOINT ["/usr/local/bin/s2i-engine-entrypoint"]' \
    --change 'CMD []' \
    --change 'ENV _EXPERIMENTAL_DAGGER_RUNNER_HOST=unix:///run/dagger/engine.sock' \
    --change "ENV DAGGER_TYPESCRIPT_SDK_MANIFEST_DIGEST=$ts_manifest" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'VOLUME /var/lib/dagger' \
    --message "s2i-python local dagger engine $version" \
    - "$image" >/dev/null || die "podman import of $image failed"
  log "imported $image in $(( $(date +%s) - t ))s"
fi
podman tag "$image" "$ENGINE_IMAGE_REPO:current" || die "podman tag $image $ENGINE_IMAGE_REPO:current failed"
# Drop older builds of the engine image that no container uses.
for old in $(podman images --format '{{.Repository}}:{{.Tag}}' "$ENGINE_IMAGE_REPO" | sort -u); do
  [[ "$old" == "$image" || "$old" == "$ENGINE_IMAGE_REPO:current" ]] && continue
  if podman rmi "$old" >/dev/null 2>&1; then log "removed old image $old"; fi
done
echo "ENGINE_IMAGE=$image"
