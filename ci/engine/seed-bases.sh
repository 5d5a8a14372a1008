#!/usr/bin/env bash
# Put the project's own Debian base images into the engine's mirror registry, so
# that the rendered Dockerfiles' `FROM docker.io/library/debian:<suite>-slim`
# resolves (through the engine's docker.io mirror) to exactly the image the
# podman tests use.
#   usage: seed-bases.sh [bookworm|trixie|all]     (default: all)
# The images come from ci/scripts/base-images.sh (podman images
# docker.io/library/debian:<suite>-slim, made once and cached). A suite is
# pushed as $REGISTRY_ADDR/library/debian:<suite>-slim only when the registry's
# copy has a different config digest (= podman image id), so a second run costs
# one HTTP request per suite. This replaces the smaller seed image that
# seed-registry.sh pushes under the same bookworm-slim tag.
# Env: S2I_REGISTRY_ADDR (see lib.sh), S2I_CACHE_DIR / DEBIAN_MIRROR (base-images.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
need podman; need curl
repo_root=$(cd "$here/../.." && pwd)

case "${1:-all}" in
  bookworm | trixie) suites=("$1") ;;
  all) suites=(bookworm trixie) ;;
  *) die "usage: $0 [bookworm|trixie|all]" ;;
esac

curl -s -o /dev/null "http://$REGISTRY_ADDR/v2/" ||
  die "registry at http://$REGISTRY_ADDR is not reachable (start it with ci/engine/up.sh)"

# The config digest of <suite>-slim in the registry, or nothing when the tag is missing.
registry_config() {
  curl -s -f \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/library/debian/manifests/$1-slim" 2>/dev/null |
    sed -n 's/.*"config":{[^}]*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' || true
}

for suite in "${suites[@]}"; do
  image="docker.io/library/debian:$suite-slim"
  ref="$REGISTRY_ADDR/library/debian:$suite-slim"
  if ! podman image exists "$image"; then
    log "$image missing in podman: making it with ci/scripts/base-images.sh $suite"
    "$repo_root/ci/scripts/base-images.sh" "$suite" >&2 || die "ci/scripts/base-images.sh $suite failed"
  fi
  id="sha256:$(podman image inspect --format '{{.Id}}' "$image")"
  have=$(registry_config "$suite")
  if [[ "$have" == "$id" ]]; then
    log "$ref is already $image (${id:7:12})"
    continue
  fi
  log "pushing $image (${id:7:12}) to $ref${have:+ (replacing ${have:7:12})}"
  t=$(date +%s)
  podman push --tls-verify=false "$image" "docker://$ref" >/dev/null 2>"$ENGINE_CACHE/run/push-$suite.log" ||
    { cat "$ENGINE_CACHE/run/push-$suite.log" >&2; die "podman push to $ref failed"; }
  have=$(registry_config "$suite")
  [[ "$have" == "$id" ]] || die "after the push, $ref has config ${have:-none}, expected $id"
  log "pushed $ref in $(( $(date +%s) - t ))s"
done
