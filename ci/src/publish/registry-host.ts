/** Which address the tool containers give a registry, and how they reach one on the caller's loopback. */
import { UsageError } from "../errors.js";

/** The host (and port) of a reference or repository: 127.0.0.1:5000 of 127.0.0.1:5000/s2i/python-311-debian12. */
export function registryHost(repositoryOrRef: string): string {
  return repositoryOrRef.split("/")[0];
}

/** The repository of a reference: without its digest, and without a tag (a colon after the last slash; the host's port stays). */
export function repositoryOf(ref: string): string {
  return ref.replace(/@.*$/, "").replace(/:[^/]*$/, "");
}

/** The port a registry reached through a tunnel listens on inside a tool container: the one its address names (443 without). */
export function tunnelPort(host: string): number {
  const m = /:(\d+)$/.exec(host);
  return m ? Number(m[1]) : 443;
}

/**
 * A registry reached through --registry-service is one on the caller's loopback (127.0.0.1,
 * localhost): the tool containers put it back at that address. Any other host is reached by name.
 */
export function validateTunnelHost(host: string): void {
  if (!isLoopback(host))
    throw new UsageError(`--registry-service is for a registry on this machine's loopback (127.0.0.1:PORT, localhost:PORT); ${host} is reached by its name`);
}

/** The shell line that forwards the registry's address inside a tool container to the tunnel (bound as `alias`). */
export function tunnelLine(host: string, alias: string): string {
  const name = host.replace(/:\d+$/, "");
  const bind = name === "localhost" ? "127.0.0.1" : name;
  const port = tunnelPort(host);
  return `(socat TCP-LISTEN:${port},bind=${bind},fork,reuseaddr TCP:${alias}:${port} >/dev/null 2>&1 &) && sleep 0.3`;
}

/** A word for a shell script, single-quoted. */
export const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The name a registry reached through a tunnel has inside a tool container (a service binding). */
export const TUNNEL_ALIAS = "s2i-registry";
/** The variable a tool container reads the registry password from (a secret, never in a layer). */
export const PASSWORD_VARIABLE = "S2I_REGISTRY_PASSWORD";

/**
 * The first lines of a tool container's script: the tunnel put back at the registry's own
 * address, then a login whose credentials go to a temporary folder (not a layer).
 */
export function registryPreamble(a: { host: string; username?: string; tunnel: boolean }): string[] {
  return [
    "set -eu",
    ...(a.tunnel ? [tunnelLine(a.host, TUNNEL_ALIAS)] : []),
    ...(a.username ? [`printf '%s' "$${PASSWORD_VARIABLE}" | cosign login ${shq(a.host)} -u ${shq(a.username)} --password-stdin >/dev/null`] : []),
  ];
}

/** A reference to a published image: REGISTRY/NAME with a tag or a sha256 digest. */
export function validateRef(ref: string): void {
  if (!/^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/.test(ref))
    throw new UsageError(`--ref "${ref}" is not an image reference such as quay.io/myorg/python-312-minimal-c9s@sha256:<64 hex digits> (or :TAG)`);
}

/** Whether a registry host is on the caller's loopback (the pipeline's containers cannot reach it by that address). */
export const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$/.test(host);

/**
 * Why publish cannot attach the SBOMs and provenance beside the image, or undefined when it
 * can: a registry on the caller's loopback is reached only through --registry-service. Asked
 * to sign, that is a usage error before anything is built; unsigned, publish pushes and says so.
 */
export function attachBlocked(host: string, tunnel: boolean, sign: boolean): string | undefined {
  if (tunnel || !isLoopback(host)) return undefined;
  const why = `${host} is on this machine's loopback, which the pipeline's containers reach only through --registry-service tcp://${host.includes(":") ? host : `${host}:443`}`;
  if (sign) throw new UsageError(`--sign-key: ${why}`);
  return `SBOMs and provenance NOT attached: ${why}`;
}
