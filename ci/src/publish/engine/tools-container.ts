import { dag, type Container, type File } from "@dagger.io/dagger";
import { COSIGN, GO_TOOLCHAIN, goBuildScript, SYFT, TOOLS_BASE, type GoTool } from "../go-tools.js";

/** Where a given CA bundle is mounted in the tool containers (a mount: never in a layer). */
const CA_PATH = "/run/s2i-extra-ca.pem";

/**
 * A container that trusts the extra CA, if one is given, for its https requests (Go reads
 * SSL_CERT_FILE). A mounted file, not a secret: a CA bundle is public, and the engine keys a
 * file by its content but a secret by the call that made it, so with a secret syft and cosign
 * were compiled again (about 6 min) after every change to ci/src.
 */
function withCa(c: Container, extraCa?: File): Container {
  return extraCa ? c.withMountedFile(CA_PATH, extraCa).withEnvVariable("SSL_CERT_FILE", CA_PATH) : c;
}

/** Debian trixie with packages of its own installed; `after` runs in the same step. */
function trixieWith(pkgs: string, after = ""): Container {
  const install = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${pkgs} >/dev/null${after}`;
  return dag.container().from(TOOLS_BASE).withExec(["sh", "-c", install]);
}

/**
 * Debian trixie with its Go (1.24), which fetches GO_TOOLCHAIN from the Go proxy. No cache
 * volumes: with them, syft and cosign were compiled again (10-15 min) after a change to ci/src
 * and in each new test session, as if the volumes belonged to their caller; without them the
 * engine caches the build by its inputs alone.
 */
function goBuilder(extraCa?: File): Container {
  const c = trixieWith("golang-go ca-certificates")
    .withEnvVariable("GOTOOLCHAIN", GO_TOOLCHAIN)
    .withEnvVariable("GOPROXY", "https://proxy.golang.org")
    .withEnvVariable("GOFLAGS", "-mod=mod -buildvcs=false");
  return withCa(c, extraCa);
}

/** The binaries of one tool, built from its pinned module (cached by the engine: the same inputs never build twice). */
export function built(t: GoTool, extraCa?: File) {
  return goBuilder(extraCa)
    .withExec(["sh", "-c", goBuildScript(t)])
    .directory("/out");
}

/**
 * The container the supply-chain steps run in: Debian trixie with syft, cosign and crane on
 * PATH (and socat, which puts a registry reached through a tunnel back at its own address).
 */
export function toolsContainer(extraCa?: File): Container {
  const c = trixieWith("ca-certificates socat", " && rm -rf /var/lib/apt/lists/*")
    .withDirectory("/usr/local/bin", built(SYFT, extraCa))
    .withDirectory("/usr/local/bin", built(COSIGN, extraCa));
  return withCa(c, extraCa);
}
