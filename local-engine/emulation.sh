#!/usr/bin/env bash
# Emulated linux/arm64 on this amd64 machine, in one command (as root):
#   bash local-engine/emulation.sh
# 1 binfmt_misc mounted, Debian's qemu-user-static registered with the F flag (so the
#   emulators work inside containers); 2 arm64 Debian bases beside the amd64 ones in the
#   registry (one image index per suite; about 5 min a suite the first time, emulated);
# 3 the engine restarted if it started before the emulators were there (it looks for them
#   once, at start; up.sh compares). Idempotent: a second run only checks.
# Env: S2I_EMULATION_SUITES (default: bookworm trixie), see also lib.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
[[ $(id -u) == 0 ]] || die "must run as root (binfmt_misc, apt-get, debootstrap)"

binfmt=/proc/sys/fs/binfmt_misc
if [[ ! -e $binfmt/status ]]; then
  mount -t binfmt_misc binfmt_misc "$binfmt" || die "could not mount binfmt_misc on $binfmt"
  log "mounted binfmt_misc"
fi
if ! dpkg-query -W -f='${Status}' qemu-user-static 2>/dev/null | grep -q 'install ok installed'; then
  log "installing qemu-user-static and binfmt-support"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static binfmt-support >/dev/null ||
    die "apt-get install qemu-user-static binfmt-support failed"
fi
[[ -e $binfmt/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
[[ -e $binfmt/qemu-aarch64 ]] || die "qemu-aarch64 is not registered in $binfmt (update-binfmts --enable qemu-aarch64)"
grep -q '^flags: .*F' "$binfmt/qemu-aarch64" ||
  die "qemu-aarch64 is registered without the F flag, so it would not work inside containers ($(grep '^flags' "$binfmt/qemu-aarch64"))"
log "qemu-aarch64 registered ($(grep '^flags' "$binfmt/qemu-aarch64"))"

read -r -a suites <<<"${S2I_EMULATION_SUITES:-bookworm trixie}"
for suite in "${suites[@]}"; do
  S2I_BASE_PLATFORMS=linux/amd64,linux/arm64 "$here/base-images.sh" "$suite" || die "arm64 base image for $suite failed"
done

# up.sh replaces an engine that started without the emulators now registered.
"$here/up.sh" >/dev/null || die "local-engine/up.sh failed"
log "emulated linux/arm64 ready: npm run dagger -- call test --version 3.11-minimal --distro debian12 --platform linux/arm64 ..."
