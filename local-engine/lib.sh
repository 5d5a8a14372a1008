# Shared settings and helpers for the local-engine scripts. Sourced, not run.
# shellcheck shell=bash disable=SC2034

ENGINE_CACHE=${S2I_ENGINE_CACHE:-/var/cache/s2i-python/engine}
ENGINE_GO=${S2I_ENGINE_GO:-/usr/local/go/bin/go}
# The dagger release to build: the module's own engineVersion (dagger.json), which the SDK in
# package.json and the GitHub workflow's CLI match (test/dagger-version.test.ts). An override
# may list candidates, best first.
ENGINE_VERSIONS=${S2I_ENGINE_VERSIONS:-$(sed -n 's/.*"engineVersion": *"\(v[^"]*\)".*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../dagger.json")}
ENGINE_CNI_VERSION=${S2I_ENGINE_CNI_VERSION:-v1.9.0}
ENGINE_IMAGE_REPO=${S2I_ENGINE_IMAGE_REPO:-localhost/s2i-dagger-engine}
ENGINE_CONTAINER=${S2I_ENGINE_CONTAINER:-s2i-dagger-engine}
ENGINE_VOLUME=${S2I_ENGINE_VOLUME:-s2i-dagger-engine-state}
ENGINE_ADDR=${S2I_ENGINE_ADDR:-tcp://127.0.0.1:1234}
# The engine's container network (bridge and dnsmasq): a second engine on this host needs its own.
ENGINE_NETWORK=${S2I_ENGINE_NETWORK:-dagger}
ENGINE_CIDR=${S2I_ENGINE_CIDR:-10.87.0.0/16}
# How long a replaced engine may take to shut down cleanly (a killed one loses its cache).
ENGINE_STOP_TIMEOUT=${S2I_ENGINE_STOP_TIMEOUT:-300}
# The free disk space the engine's garbage collector keeps (a size or a % of the disk). The
# engine's default is 20% of the disk: on a big disk that is mostly used already (here 51 GB of
# 66 GB free), it pruned all but the last minutes of every CI run, images and tools included.
ENGINE_GC_MIN_FREE=${S2I_ENGINE_GC_MIN_FREE:-5%}
REGISTRY_ADDR=${S2I_REGISTRY_ADDR:-127.0.0.1:5000}

_engine_script=$(basename "$0" .sh)
log() { printf '[%s %s] %s\n' "$_engine_script" "$(date +%T)" "$*" >&2; }
die() { printf '[%s %s] FAILED: %s\n' "$_engine_script" "$(date +%T)" "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "required command '$1' not found${2:+ ($2)}"; }

# Directory with the built binaries of the version chosen by build-binaries.sh.
current_bin_dir() {
  local d="$ENGINE_CACHE/bin/current"
  [[ -e "$d/.complete" ]] || die "no built binaries under $d; run local-engine/build-binaries.sh first"
  readlink -f "$d"
}
