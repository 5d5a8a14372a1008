/**
 * The supply-chain tools the pipeline runs (SBOM generator, signer), where each comes from, and
 * the script that builds them. Nothing is downloaded prebuilt: each is a released Go module
 * version from the Go module proxy, built in a container from Debian trixie's Go, which fetches
 * the Go toolchain the modules ask for (the proxy's golang.org/toolchain module).
 */

/** The Go release the tools are built with (syft v1.57 asks for 1.26.8; Debian trixie ships 1.24). */
export const GO_TOOLCHAIN = "go1.26.8";

/** The image the tools are built and run in (the local registry mirrors it here). */
export const TOOLS_BASE = "docker.io/library/debian:trixie-slim";

export interface GoTool {
  /** The binary's name, also its path under /out. */
  name: string;
  /** The Go module that holds it, at a pinned release. */
  module: string;
  version: string;
  /** The main package, relative to the module. */
  pkg: string;
  /** -X flags that stamp the version, as the project's own release builds do. */
  ldflags: string;
  /** Other binaries built from the same module graph (a dependency's command at the version this module requires). */
  extra?: { name: string; pkg: string }[];
}

export const SYFT: GoTool = {
  name: "syft",
  module: "github.com/anchore/syft",
  version: "v1.57.2",
  pkg: "./cmd/syft",
  ldflags: "-X main.version=v1.57.2",
};

export const COSIGN: GoTool = {
  name: "cosign",
  module: "github.com/sigstore/cosign/v2",
  version: "v2.6.1",
  pkg: "./cmd/cosign",
  ldflags: "-X sigs.k8s.io/release-utils/version.gitVersion=v2.6.1",
  // crane (go-containerregistry, the registry library cosign is built on) reads index manifests.
  extra: [{ name: "crane", pkg: "github.com/google/go-containerregistry/cmd/crane" }],
};

/**
 * The shell script that builds one tool into /out: the module's zip from the proxy (the proxy
 * here refuses version lists, so the version is pinned and downloaded in a scratch module), then
 * `go build -trimpath` from the module graph, as its release builds do (CGO off).
 */
export function goBuildScript(t: GoTool): string {
  const builds = [{ name: t.name, pkg: t.pkg }, ...(t.extra ?? [])]
    .map((b) => `CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -buildid= ${b.name === t.name ? t.ldflags : ""}" -o /out/${b.name} ${b.pkg}`)
    .join("\n");
  return [
    "set -eu",
    // A fixed folder, so that Go's build cache (a cache volume) serves a second build of the same version.
    `rm -rf /build/${t.name} && mkdir -p /build/${t.name} && cd /build/${t.name} && go mod init scratch >/dev/null 2>&1`,
    `dir=$(go mod download -json ${t.module}@${t.version} | sed -n 's/^[[:space:]]*"Dir": "\\(.*\\)",$/\\1/p')`,
    `[ -d "$dir" ] || { echo "go mod download gave no folder for ${t.module}@${t.version}" >&2; exit 1; }`,
    'cp -r "$dir" src && chmod -R u+w src && rm -rf src/vendor && cd src',
    "mkdir -p /out",
    builds,
    `/out/${t.name} version >/dev/null`,
  ].join("\n");
}
