#!/usr/bin/env bash
# Put a Debian bookworm-slim base image into the local registry as
# $REGISTRY_ADDR/library/debian:bookworm-slim (what docker.io/library/debian:
# bookworm-slim resolves to through the engine's mirror config).
# Skips everything when the registry already has the tag; otherwise it hands over to
# seed-bases.sh bookworm, which pushes the project's own base image
# (ci/scripts/base-images.sh), the one the rendered Dockerfiles are built on.
# Env: S2I_ENGINE_CACHE, S2I_REGISTRY_ADDR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
need curl

ref="$REGISTRY_ADDR/library/debian:bookworm-slim"

code=$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
  "http://$REGISTRY_ADDR/v2/library/debian/manifests/bookworm-slim" || true)
case "$code" in
  200) log "registry already has $ref"; exit 0 ;;
  404) ;;
  000) die "registry at http://$REGISTRY_ADDR is not reachable (start it with ci/engine/up.sh)" ;;
  *) die "unexpected HTTP $code from http://$REGISTRY_ADDR/v2/library/debian/manifests/bookworm-slim" ;;
esac

exec "$here/seed-bases.sh" bookworm
