#!/usr/bin/env bash
# Put a Debian bookworm-slim base image into the local registry as
# $REGISTRY_ADDR/library/debian:bookworm-slim (what docker.io/library/debian:
# bookworm-slim resolves to through the engine's mirror config).
# The image is made here with debootstrap (minbase, docs/man/locales and apt
# lists removed), imported with podman and pushed over plain HTTP.
# Skips everything when the registry already has the tag. Otherwise it hands over to
# seed-bases.sh bookworm (the project's own base image, ci/scripts/base-images.sh);
# only without that script does it debootstrap an image of its own.
# Env: S2I_ENGINE_CACHE, S2I_REGISTRY_ADDR, S2I_ENGINE_DEBIAN_MIRROR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
need podman; need debootstrap; need curl

mirror=${S2I_ENGINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ref="$REGISTRY_ADDR/library/debian:bookworm-slim"
local_name="localhost/s2i-engine-seed/debian:bookworm-slim"

code=$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
  "http://$REGISTRY_ADDR/v2/library/debian/manifests/bookworm-slim" || true)
case "$code" in
  200) log "registry already has $ref"; exit 0 ;;
  404) ;;
  000) die "registry at http://$REGISTRY_ADDR is not reachable (start it with ci/engine/up.sh)" ;;
  *) die "unexpected HTTP $code from http://$REGISTRY_ADDR/v2/library/debian/manifests/bookworm-slim" ;;
esac

# The project's own base image (ci/scripts/base-images.sh) is what the pipeline needs
# there anyway: push that (seed-bases.sh makes it when podman lacks it) rather than a
# second, different bookworm-slim. The code below is the fallback without that script.
if [[ -x "$here/../scripts/base-images.sh" ]] || podman image exists docker.io/library/debian:bookworm-slim; then
  exec "$here/seed-bases.sh" bookworm
fi

tarball="$ENGINE_CACHE/rootfs/debian-bookworm-slim.tar"
if [[ ! -f "$tarball" ]]; then
  log "debootstrap bookworm (minbase) for the slim base image"
  mkdir -p "$ENGINE_CACHE/rootfs"
  work=$(mktemp -d "$ENGINE_CACHE/rootfs/slim.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t=$(date +%s)
  debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/log" 2>&1 ||
    { tail -n 20 "$work/log" >&2; die "debootstrap failed"; }
  r="$work/root"
  # Slim it the way Debian's -slim images are: no docs, man pages or
  # translations now, and none installed later either.
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$r/usr/share/man/"* "$r/usr/share/info/"* "$r/usr/share/locale/"* \
         "$r/var/lib/apt/lists/"* "$r/var/cache/apt/"*.bin "$r/var/cache/apt/archives/"*.deb
  tar -C "$r" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  log "slim rootfs made in $(( $(date +%s) - t ))s ($(du -sh "$tarball" | cut -f1))"
fi

log "importing $local_name and pushing to $ref"
podman import --change 'CMD ["bash"]' --message "s2i-python seed image" "$tarball" "$local_name" >/dev/null ||
  die "podman import of $tarball failed"
podman push --tls-verify=false "$local_name" "docker://$ref" >/dev/null 2>"$ENGINE_CACHE/run/push.log" ||
  { cat "$ENGINE_CACHE/run/push.log" >&2; die "podman push to $ref failed"; }
log "pushed $ref"
