#!/usr/bin/env bash
# The real s2i CLI (openshift/source-to-image v1.6.0), built from the Go module proxy, for the
# tests that build sample apps the way users do (`s2i build --as-dockerfile`). Prints the
# binary's path. Cached: a second run costs nothing.
# The proxy here serves the module's v1.6.0 zip but refuses its version list, which
# `go install ...@v1.6.0` asks for; so the zip is downloaded in a scratch module and built as
# upstream builds it (CGO_ENABLED=0, -tags exclude_graphdriver_btrfs).
# Env: S2I_CLI_VERSION (default v1.6.0), S2I_ENGINE_CACHE, S2I_ENGINE_GO (see lib.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

version=${S2I_CLI_VERSION:-v1.6.0}
module=github.com/openshift/source-to-image
out="$ENGINE_CACHE/s2i/$version/s2i"
if [[ -x "$out" ]] && "$out" version >/dev/null 2>&1; then
  echo "$out"
  exit 0
fi
[[ -x "$ENGINE_GO" ]] || die "go toolchain not found at $ENGINE_GO (set S2I_ENGINE_GO)"
need jq "apt-get install jq"
PATH="$(dirname "$ENGINE_GO"):$PATH"; export PATH
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && go mod init scratch >/dev/null 2>&1)
log "downloading $module@$version from the Go proxy"
dir=$(cd "$work" && go mod download -json "$module@$version" | jq -r .Dir) || die "go mod download $module@$version failed"
[[ -d "$dir" ]] || die "go mod download gave no folder for $module@$version"
cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
# The zip's vendor/ holds only modules.txt; build from the module graph instead.
rm -rf "$work/src/vendor"
log "building s2i $version (CGO_ENABLED=0, -tags exclude_graphdriver_btrfs; a few minutes the first time)"
mkdir -p "$(dirname "$out")"
(
  cd "$work/src"
  CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -tags exclude_graphdriver_btrfs \
    -ldflags "-X $module/pkg/version.versionFromGit=$version" -o "$out.new" ./cmd/s2i
) || die "go build of s2i $version failed"
mv "$out.new" "$out"
log "s2i: $("$out" version)"
echo "$out"
