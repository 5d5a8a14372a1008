#!/usr/bin/env bash
# Build the builtin TypeScript SDK content the local engine carries (engine-image.sh puts it in
# the image): an OCI image whose root file system is both the SDK module the engine loads (its
# runtime/ folder, a Dang module; see ts-sdk/runtime/main.dang) and the root file system of the
# container that runs a TypeScript module's code: Debian trixie with its nodejs (20), plus
# @dagger.io/dagger, tsx and npm from ts-sdk/package-lock.json under /opt/ts-sdk.
#
# Output: an OCI image layout in $ENGINE_CACHE/ts-sdk/<key>/ (blobs/sha256/*, one gzip layer), cached by
# everything that goes into it; prints "TS_SDK_CONTENT=<dir>" and "TS_SDK_MANIFEST=sha256:...".
# Env: S2I_ENGINE_EXTRA_CA: a CA bundle (PEM) that npm trusts when it installs a module's
#      dependencies (default: the host's bundle, which holds this machine's proxy CA);
#      S2I_ENGINE_DEBIAN_MIRROR (default: http://deb.debian.org/debian).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[[ $(id -u) == 0 ]] || die "must run as root (debootstrap)"
need debootstrap "apt-get install debootstrap"
need npm "install Node.js 20 with npm"
need jq "apt-get install jq"

src="$here/ts-sdk"
mirror=${S2I_ENGINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
extra_ca=${S2I_ENGINE_EXTRA_CA-/etc/ssl/certs/ca-certificates.crt}
[[ -z "$extra_ca" || -f "$extra_ca" ]] || die "S2I_ENGINE_EXTRA_CA: no file $extra_ca"

# trixie: its nodejs is 20, which @dagger.io/dagger needs (bookworm's is 18).
packages=(nodejs ca-certificates)
pkg_list=$(IFS=,; echo "${packages[*]}")
base_key=$(printf 'trixie minbase %s %s' "$mirror" "$pkg_list" | sha256sum | cut -c1-12)
base_tar="$ENGINE_CACHE/rootfs/ts-sdk-base-$base_key.tar"
key=$( { echo "$base_key"; cat "$0"; (cd "$src" && find . -type f | sort | xargs sha256sum);
         [[ -n "$extra_ca" ]] && sha256sum <"$extra_ca"; } | sha256sum | cut -c1-12)
out="$ENGINE_CACHE/ts-sdk/$key"

if [[ -f "$out/manifest-digest" ]]; then
  log "TypeScript SDK content cached: $out"
else
  mkdir -p "$ENGINE_CACHE/rootfs" "$ENGINE_CACHE/ts-sdk"
  work=$(mktemp -d "$ENGINE_CACHE/ts-sdk/build.XXXXXX")
  trap 'rm -rf --one-file-system "$work"' EXIT
  if [[ -f "$base_tar" ]]; then
    log "base rootfs cached: $base_tar"
  else
    log "debootstrap trixie (minbase) with: $pkg_list (about a minute)"
    t=$(date +%s)
    if ! debootstrap --variant=minbase --include="$pkg_list" trixie "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1; then
      tail -n 20 "$work/debootstrap.log" >&2
      die "debootstrap of trixie failed (see above)"
    fi
    # What a runtime never reads: package lists and caches, documentation, translations.
    rm -rf "$work/base/var/lib/apt/lists/"* "$work/base/var/cache/apt/"* "$work/base/usr/share/doc" \
      "$work/base/usr/share/man" "$work/base/usr/share/info" "$work/base/usr/share/locale" "$work/base/debootstrap"
    tar -C "$work/base" --numeric-owner -cf "$base_tar.tmp" .
    mv "$base_tar.tmp" "$base_tar"
    rm -rf --one-file-system "$work/base"
    log "base rootfs built in $(( $(date +%s) - t ))s"
  fi

  r="$work/root"
  mkdir -p "$r"
  tar -C "$r" -xf "$base_tar"
  sdk="$r/opt/ts-sdk"
  mkdir -p "$sdk"
  log "npm ci of ts-sdk/package-lock.json (@dagger.io/dagger, tsx, npm)"
  cp "$src/package.json" "$src/package-lock.json" "$sdk/"
  (cd "$sdk" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in $sdk failed"
  install -m 0644 "$src/entrypoint.mjs" "$src/scan-snapshot.mjs" "$src/save-scan.mjs" "$src/cached-scan.mjs" \
    "$src/scan-hook.mjs" "$src/lazy-compiler-hook.mjs" "$src/lazy-typescript.mjs" "$src/tsconfig.default.json" "$sdk/"
  install -m 0755 "$src/install-deps" "$src/run-module" "$src/read-types" "$sdk/"
  # The introspector tells core types (Directory, Container, ...) by the generated client's
  # file name; the package's declarations of that client serve as it.
  cp "$sdk/node_modules/@dagger.io/dagger/dist/src/api/client.gen.d.ts" "$sdk/client.gen.ts"
  # A module's code resolves @dagger.io/dagger and tsx by walking up to the root: the same
  # files the entrypoint uses, so the module's decorators fill the entrypoint's registry.
  ln -s opt/ts-sdk/node_modules "$r/node_modules"
  if [[ -n "$extra_ca" ]]; then
    install -m 0644 "$extra_ca" "$sdk/extra-ca.pem"
  fi
  mkdir -p "$r/runtime"
  cp "$src/runtime/dagger.json" "$src/runtime/main.dang" "$r/runtime/"

  # One gzip layer, its config and its manifest, written as an OCI image layout: the
  # engine copies the manifest's chain from its content store (blobs/sha256/<hex>).
  rm -rf "$out.tmp"
  blobs="$out.tmp/blobs/sha256"
  mkdir -p "$blobs"
  tar -C "$r" --numeric-owner --sort=name -cf "$work/layer.tar" .
  diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n -6 <"$work/layer.tar" >"$work/layer.tar.gz"
  rm -f "$work/layer.tar"
  layer=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)
  mv "$work/layer.tar.gz" "$blobs/$layer"
  blob() { # JSON on stdin -> a blob; prints "<hex> <size>"
    local f="$work/blob.json" h
    jq -cS . >"$f"
    h=$(sha256sum "$f" | cut -d' ' -f1)
    mv "$f" "$blobs/$h"
    echo "$h $(stat -c %s "$blobs/$h")"
  }
  read -r config config_size < <(jq -n --arg d "sha256:$diff_id" \
    '{architecture: "amd64", os: "linux", config: {Env: ["PATH=/usr/local/bin:/usr/bin:/bin"]}, rootfs: {type: "layers", diff_ids: [$d]}}' | blob)
  read -r manifest manifest_size < <(jq -n --arg c "sha256:$config" --argjson cs "$config_size" \
    --arg l "sha256:$layer" --argjson ls "$(stat -c %s "$blobs/$layer")" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
      layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]}' | blob)
  jq -n --arg m "sha256:$manifest" --argjson ms "$manifest_size" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms}]}' >"$out.tmp/index.json"
  echo '{"imageLayoutVersion": "1.0.0"}' >"$out.tmp/oci-layout"
  echo "sha256:$manifest" >"$out.tmp/manifest-digest"
  mv "$out.tmp" "$out"
  log "TypeScript SDK content built: $out ($(du -sh "$out" | cut -f1), manifest sha256:$manifest)"
fi
echo "TS_SDK_CONTENT=$out"
echo "TS_SDK_MANIFEST=$(cat "$out/manifest-digest")"
