#!/usr/bin/env bash
# Build the Dagger CLI, engine and engine helpers from Go modules (through the
# Go module proxy), plus the CNI plugins the engine calls. Results are cached
# per version under $S2I_ENGINE_CACHE/bin/<version>/; a warm run only checks
# the cache (and asks the proxy whether a preferred release appeared).
#
# Env: S2I_ENGINE_CACHE (default /var/cache/s2i-python/engine),
#      S2I_ENGINE_VERSIONS (candidates, best first; default: dagger.json's engineVersion),
#      S2I_ENGINE_CNI_VERSION (default v1.9.0), S2I_ENGINE_GO (go binary),
#      S2I_ENGINE_REBUILD=1 to ignore the cache.
# Prints "ENGINE_VERSION=..." and "ENGINE_BIN_DIR=..." on stdout at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[[ -x "$ENGINE_GO" ]] || die "go toolchain not found at $ENGINE_GO (set S2I_ENGINE_GO)"
need jq "apt-get install jq"
PATH="$(dirname "$ENGINE_GO"):$PATH"; export PATH
export CGO_ENABLED=0 GOFLAGS="-buildvcs=false" GOTOOLCHAIN=local
mkdir -p "$ENGINE_CACHE/bin" "$ENGINE_CACHE/src"

go_ver=$(go env GOVERSION)
build_tags="dfexcludepatterns,dfparents"
# What a cached build depends on besides the dagger version. dagger-lite has a key of its
# own: a change to it rebuilds only it, from the cached wrapper module.
recipe_key="go=$go_ver tags=$build_tags cni=$ENGINE_CNI_VERSION recipe=5"
lite_key=$(cat "$here"/dagger-lite/*.go | sha256sum | cut -c1-12)

# Module path -> output name inside the bin dir (names the engine image uses).
declare -A outputs=(
  [github.com/dagger/dagger/cmd/dagger]=dagger
  [github.com/dagger/dagger/cmd/engine]=dagger-engine
  [github.com/dagger/dagger/cmd/init]=dagger-init
  [github.com/dagger/dagger/cmd/dnsname]=dnsname
  [github.com/dagger/dagger/cmd/dialstdio]=dial-stdio
)
cni_pkgs=(main/bridge main/loopback meta/firewall ipam/host-local)

is_complete() { [[ -f "$1/.complete" && "$(cat "$1/.complete")" == "$recipe_key"* ]]; }

# Builds dagger-lite into $2 from the wrapper module in $1.
build_lite() {
  mkdir -p "$1/cmd/dagger-lite"
  cp "$here"/dagger-lite/*.go "$1/cmd/dagger-lite/"
  (
    cd "$1"
    go build -mod=mod -p 2 -trimpath -tags "$build_tags" \
      -ldflags "-s -w -X github.com/dagger/dagger/engine.Version=$version -X github.com/dagger/dagger/engine.Tag=$version -X main.defaultRunnerHost=$ENGINE_ADDR" \
      -o "$2/dagger-lite" ./cmd/dagger-lite
  ) || die "go build of dagger-lite failed (wrapper module: $1)"
  echo "$lite_key" >"$2/.lite"
}

finish() {
  local v=$1
  ln -sfn "$v" "$ENGINE_CACHE/bin/current"
  log "binaries for $v ready in $ENGINE_CACHE/bin/$v"
  echo "ENGINE_VERSION=$v"
  echo "ENGINE_BIN_DIR=$ENGINE_CACHE/bin/$v"
  exit 0
}

probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
(cd "$probe_dir" && go mod init probe >/dev/null 2>&1)

# Pick a version: a complete cached build wins unless a better candidate that
# comes before it resolves on the proxy.
version=""
for v in $ENGINE_VERSIONS; do
  if [[ "${S2I_ENGINE_REBUILD:-0}" != 1 ]] && is_complete "$ENGINE_CACHE/bin/$v"; then
    log "cache hit: $ENGINE_CACHE/bin/$v"
    if [[ -e "$ENGINE_CACHE/bin/$v/dagger-lite" && "$(cat "$ENGINE_CACHE/bin/$v/.lite" 2>/dev/null)" != "$lite_key" ]]; then
      log "dagger-lite changed: rebuilding it"
      version=$v
      build_lite "$ENGINE_CACHE/src/$v" "$ENGINE_CACHE/bin/$v"
    fi
    finish "$v"
  fi
  log "asking the Go proxy for github.com/dagger/dagger@$v"
  if out=$(cd "$probe_dir" && go list -m -json "github.com/dagger/dagger@$v" 2>&1); then
    version=$v
    break
  fi
  log "  not available: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-240)"
done
[[ -n "$version" ]] || die "none of [$ENGINE_VERSIONS] resolves on the Go proxy ($(go env GOPROXY))"
[[ "$version" == "${ENGINE_VERSIONS%% *}" ]] || log "NOTE: using $version, not the preferred ${ENGINE_VERSIONS%% *}"

t0=$(date +%s)
src="$ENGINE_CACHE/src/$version"
bin="$ENGINE_CACHE/bin/$version"
rm -rf "$src" "$bin.tmp"
mkdir -p "$src/distconsts" "$bin.tmp"

log "downloading github.com/dagger/dagger@$version"
dl=$(cd "$probe_dir" && go mod download -json "github.com/dagger/dagger@$version") \
  || die "go mod download github.com/dagger/dagger@$version failed"
up_dir=$(jq -r .Dir <<<"$dl")
up_gomod=$(jq -r .GoMod <<<"$dl")

# ---- wrapper module -------------------------------------------------------
cat >"$src/go.mod" <<EOF
module local/s2i-dagger-build

go $(go mod edit -json "$up_gomod" | jq -r .Go)
EOF

(
  cd "$src"
  go mod edit -require="github.com/dagger/dagger@$version"
  # Replace directives are only honoured in the main module, so carry the
  # upstream ones over. Local-directory replaces are handled below.
  while IFS='|' read -r old oldv new newv; do
    [[ -n "$old" ]] || continue
    lhs=$old; [[ -n "$oldv" ]] && lhs="$old@$oldv"
    if [[ -n "$newv" ]]; then
      log "  replace $lhs => $new@$newv"
      go mod edit -replace="$lhs=$new@$newv"
    else
      case "$old" in
        dagger.io/dagger)
          # Upstream points at ./sdk/go; the same code is published as
          # dagger.io/dagger at the matching tag.
          log "  require dagger.io/dagger@$version (upstream: $lhs => $new)"
          go mod edit -require="dagger.io/dagger@$version" ;;
        github.com/dagger/dagger/engine/distconsts)
          log "  replace $lhs => ./distconsts (generated; the proxy has no versions of it)"
          go mod edit -replace="$old=./distconsts" ;;
        *) die "upstream go.mod has a local replace we do not know how to carry over: $lhs => $new" ;;
      esac
    fi
  done < <(go mod edit -json "$up_gomod" |
           jq -r '.Replace[]? | [.Old.Path, (.Old.Version // ""), .New.Path, (.New.Version // "")] | join("|")')
)

# Use upstream's go.sum: some pinned pseudo-versions are not in the checksum
# database the proxy fronts, but upstream recorded their hashes.
install -m 0644 "$up_dir/go.sum" "$src/go.sum"

# engine/distconsts is a nested module without tags, so it is not in the
# module zip and not on the proxy. It only holds constants: paths inside the
# engine image, env var names and default image names. Our values:
cat >"$src/distconsts/go.mod" <<'EOF'
module github.com/dagger/dagger/engine/distconsts

go 1.22
EOF
cat >"$src/distconsts/values.go" <<'EOF'
// Package distconsts: values shared by the dagger CLI and engine, written for
// the s2i-python local engine build (see local-engine/build-binaries.sh).
package distconsts

// Where things live inside the engine container.
const (
	RuncPath                         = "/usr/local/bin/runc"
	DaggerInitPath                   = "/usr/local/bin/dagger-init"
	EngineDefaultStateDir            = "/var/lib/dagger"
	EngineContainerBuiltinContentDir = "/usr/local/share/dagger/content"
	EngineCustomCACertsDir           = "/usr/local/share/ca-certificates"
	DefaultEngineSockAddr            = "unix:///run/dagger/engine.sock"
	EngineContainerName              = "dagger-engine.dev"
)

// Env vars naming the digests of the builtin SDK content.
const (
	GoSDKManifestDigestEnvName         = "DAGGER_GO_SDK_MANIFEST_DIGEST"
	PythonSDKManifestDigestEnvName     = "DAGGER_PYTHON_SDK_MANIFEST_DIGEST"
	TypescriptSDKManifestDigestEnvName = "DAGGER_TYPESCRIPT_SDK_MANIFEST_DIGEST"
)

// Utility images (only used by terminal/debug features).
const (
	AlpineVersion  = "3.22.1"
	AlpineImage    = "alpine:" + AlpineVersion
	GolangVersion  = "1.26.1"
	GolangImage    = "golang:" + GolangVersion + "-alpine"
	BusyboxVersion = "1.37.0"
	BusyboxImage   = "busybox:" + BusyboxVersion
)

const OCIVersionAnnotation = "org.opencontainers.image.version"
EOF
# Fail early and clearly if this release references a name we did not define.
missing=$(grep -rhoE 'distconsts\.[A-Za-z_][A-Za-z0-9_]*' "$up_dir" --include='*.go' |
          sed 's/^distconsts\.//' | sort -u |
          while read -r name; do grep -qE "\b$name\s*=" "$src/distconsts/values.go" || echo "$name"; done)
[[ -z "$missing" ]] || log "WARNING: distconsts names used upstream but not defined here: ${missing//$'\n'/ }"

# ---- missing modules --------------------------------------------------------
# The proxy here does not serve every dependency of the release. Known gaps in
# v0.21.8: the terminal UI libraries (github.com/vito/tuist, tuist/teav1,
# midterm) and the Dang language (github.com/vito/dang/v2). If any is missing
# we build the engine with a few files overlaid (features we do not use) and
# build dagger-lite instead of the full CLI.
want_mod() { go mod edit -json "$up_gomod" | jq -r --arg p "$1" '.Require[] | select(.Path==$p) | "\(.Path)@\(.Version)"'; }
missing_mods=()
for m in github.com/vito/tuist github.com/vito/tuist/teav1 github.com/vito/midterm github.com/vito/dang/v2; do
  mv=$(want_mod "$m"); [[ -n "$mv" ]] || continue
  if ! out=$(cd "$probe_dir" && go mod download "$mv" 2>&1); then
    log "  proxy does not serve $mv: $(printf '%s' "$out" | tr '\n' ' ' | grep -o '[0-9]\{3\} [A-Za-z ]*' | head -1)"
    missing_mods+=("$mv")
  fi
done

full_cli=1
if ((${#missing_mods[@]})); then
  full_cli=0
  # Go refuses overlays on files in the module cache, so build from a
  # writable copy of the release (a local replace) with a few files changed:
  # idtui reduced to the helpers the engine uses, the Dang v2 SDK disabled,
  # util/scrub without midterm.
  log "patching a copy of the release: idtui reduced to what the engine uses, Dang v2 SDK disabled"
  dsrc="$src/dagger-src"
  rm -rf "$dsrc"; mkdir -p "$dsrc"
  tar -C "$up_dir" --exclude=./docs -cf - . | tar -C "$dsrc" -xf -
  chmod -R u+w "$dsrc"
  (cd "$src" && go mod edit -replace="github.com/dagger/dagger=./dagger-src")
  idtui="$dsrc/dagql/idtui"
  awk '/^var SkipLoggedOutTraceMsgEnvs = /,/^}/' "$idtui/frontend.go" >"$src/skipenvs.txt"
  grep -q SkipLoggedOutTraceMsgEnvs "$src/skipenvs.txt" || die "could not find SkipLoggedOutTraceMsgEnvs in $idtui/frontend.go"
  find "$idtui" -maxdepth 1 -name '*.go' ! -name output.go ! -name symbols.go -delete
  {
    cat <<'EOF'
// Reduced idtui for the s2i-python engine build: the terminal UI is left
// out (its libraries are not on the Go proxy); the engine only needs these.
package idtui

import (
	"fmt"

	"github.com/dagger/dagger/dagql/call"
	"github.com/muesli/termenv"
)

EOF
    cat "$src/skipenvs.txt"
    cat <<'EOF'

// Dump prints an ID on one line (no call tree in this build).
type Dump struct {
	Newline string
	Prefix  string
}

func (d *Dump) DumpID(out *termenv.Output, id *call.ID) error {
	_, err := fmt.Fprint(out, d.Prefix, id.Display(), d.Newline)
	return err
}
EOF
  } >"$idtui/s2i_reduced.go"
  rm -f "$dsrc"/core/sdk/dang/v2/*.go
  cat >"$dsrc/core/sdk/dang/v2/s2i_disabled.go" <<'EOF'
// Dang v2 SDK left out of the s2i-python engine build: github.com/vito/dang/v2
// is not available from the Go proxy there.
package dangv2

import (
	"context"
	"errors"

	"github.com/dagger/dagger/core"
	"github.com/dagger/dagger/dagql"
)

var errDisabled = errors.New("the Dang v2 SDK is not part of this engine build (github.com/vito/dang/v2 was not available from the Go proxy)")

type Impl struct{}

func (Impl) ModuleTypes(context.Context, *core.SchemaBuilder, dagql.ObjectResult[*core.ModuleSource], dagql.ObjectResult[*core.Module]) (dagql.ObjectResult[*core.Module], error) {
	return dagql.ObjectResult[*core.Module]{}, errDisabled
}

func (Impl) Runtime(context.Context, *core.SchemaBuilder, dagql.ObjectResult[*core.ModuleSource]) (core.ModuleRuntime, error) {
	return nil, errDisabled
}
EOF
  # util/scrub only needs midterm for the "reset attributes" escape sequence.
  sed -i -e '/"github.com\/vito\/midterm"/d' -e 's/midterm\.Reset\.Render()/"\\x1b[0m"/' "$dsrc/util/scrub/scrub.go"
  grep -q midterm "$dsrc/util/scrub/scrub.go" && die "could not patch $dsrc/util/scrub/scrub.go (midterm still referenced)"
  unset 'outputs[github.com/dagger/dagger/cmd/dagger]'
fi

# ---- build ----------------------------------------------------------------
ldflags="-s -w -X github.com/dagger/dagger/engine.Version=$version -X github.com/dagger/dagger/engine.Tag=$version -X main.RunnerHost=$ENGINE_ADDR"
log "building ${!outputs[*]} (go $go_ver, -p 2, tags $build_tags); a cold build takes many minutes on 2 cores"
tb=$(date +%s)
(
  cd "$src"
  go build -mod=mod -p 2 -trimpath -tags "$build_tags" -ldflags "$ldflags" \
    -o "$bin.tmp/" "${!outputs[@]}"
) || die "go build of the dagger binaries failed (wrapper module: $src)"
for pkg in "${!outputs[@]}"; do
  mv "$bin.tmp/$(basename "$pkg")" "$bin.tmp/${outputs[$pkg]}.new"
done
for f in "$bin.tmp"/*.new; do mv "$f" "${f%.new}"; done
log "dagger binaries built in $(( $(date +%s) - tb ))s"

if ((full_cli == 0)); then
  log "the full dagger CLI cannot be built (missing: ${missing_mods[*]}); building dagger-lite (session/run/version) as bin/dagger"
  build_lite "$src" "$bin.tmp"
  ln -sfn dagger-lite "$bin.tmp/dagger"
fi

log "building CNI plugins github.com/containernetworking/plugins@$ENGINE_CNI_VERSION"
tb=$(date +%s)
cni_args=()
for p in "${cni_pkgs[@]}"; do cni_args+=("github.com/containernetworking/plugins/plugins/$p@$ENGINE_CNI_VERSION"); done
if ! (cd "$probe_dir" && GOBIN="$bin.tmp/cni" go install -p 2 -trimpath -ldflags "-s -w" "${cni_args[@]}"); then
  log "go install of the CNI plugins failed; falling back to Debian's containernetworking-plugins"
  mkdir -p "$bin.tmp/cni"
  for p in "${cni_pkgs[@]}"; do
    f="/usr/lib/cni/$(basename "$p")"
    [[ -x "$f" ]] || die "CNI plugin $(basename "$p") not built and not at $f (apt-get install containernetworking-plugins)"
    cp "$f" "$bin.tmp/cni/"
  done
fi
log "CNI plugins ready in $(( $(date +%s) - tb ))s"

timeout 20 "$bin.tmp/dagger" version >/dev/null 2>&1 || log "WARNING: '$bin.tmp/dagger version' did not run cleanly"
echo "$recipe_key" >"$bin.tmp/.complete"
rm -rf "$bin"
mv "$bin.tmp" "$bin"
log "total $(( $(date +%s) - t0 ))s"
finish "$version"
