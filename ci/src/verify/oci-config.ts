/**
 * An image's configuration read from its OCI archive (`asTarball`): the user, working directory,
 * variables, labels, ports, entrypoint and command a container engine runs it with. Read this way
 * rather than through the engine's `envVariables`, `labels` and `exposedPorts` lists because the
 * Dagger engine (v0.21.8) cannot write those lists into its cache database: one held when the
 * engine stops makes its stop unclean, and its next start throws the whole cache away
 * (docs/benchmarks.md). Pure: verify/engine/image-config.ts fetches the archive.
 */

/** The part of an OCI image configuration ("config" in its config blob) the checks read. */
export interface OciConfig {
  user: string;
  workdir: string;
  /** "NAME=value" split at the first "=", in the image's order. */
  env: [string, string][];
  labels: [string, string][];
  /** "8080/tcp", as the configuration names them. */
  exposedPorts: string[];
  entrypoint: string[];
  cmd: string[];
}

/** The files of a POSIX (ustar) tar archive, by name without a leading "./". */
export function tarFiles(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) =>
      header
        .subarray(from, from + len)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : "") + field(0, 100);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    if (!Number.isFinite(size) || at + 512 + size > tar.length) throw new Error(`the image archive is cut short at ${JSON.stringify(name)}`);
    const type = field(156, 1);
    if (type === "" || type === "0") files.set(name.replace(/^\.\//, ""), tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The configuration of the (only, or first) image of an OCI archive. */
export function configFromOciArchive(tar: Buffer): OciConfig {
  const files = tarFiles(tar);
  const json = (name: string): Record<string, unknown> => {
    const body = files.get(name);
    if (!body) throw new Error(`the image archive has no ${name} (it holds ${[...files.keys()].join(", ") || "nothing"})`);
    return JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  };
  const blob = (digest: unknown) => json(`blobs/${String(digest).replace(":", "/")}`);
  type Ref = { digest: string };
  let node = json("index.json");
  // An index may point at another index (a multi-platform archive): follow the first entry down to a manifest.
  while (Array.isArray(node.manifests)) node = blob((node.manifests as Ref[])[0]?.digest);
  const image = blob((node.config as Ref | undefined)?.digest);
  const c = (image.config ?? {}) as {
    User?: string;
    WorkingDir?: string;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
  };
  return {
    user: c.User ?? "",
    workdir: c.WorkingDir ?? "",
    env: (c.Env ?? []).map((e) => {
      const eq = e.indexOf("=");
      return eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
    }),
    labels: Object.entries(c.Labels ?? {}),
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
  };
}
