/**
 * How an application is built into an image "the s2i way", as a list of steps: sources to
 * /tmp/src owned by the image user, the app's environment, assemble as uid 1001, run as the
 * command. An incremental build (`s2i build --incremental`) also gets the previous image's
 * save-artifacts archive, extracted at /tmp/artifacts by the image user in the same run as
 * assemble, as the s2i CLI does. The Dagger pipeline turns the steps into container calls
 * (dagger/s2i.ts).
 */
export type S2iStep =
  | { op: "user"; user: string }
  | { op: "copySources"; dest: string }
  | { op: "artifacts"; dest: string }
  | { op: "run"; args: string[] }
  | { op: "env"; name: string; value: string }
  | { op: "cmd"; args: string[] };

export const SCRIPTS = "/usr/libexec/s2i";
export const SOURCE_DIR = "/tmp/src";
/** Where s2i extracts the previous image's artifacts for an incremental build. */
export const ARTIFACTS_DIR = "/tmp/artifacts";

export function s2iBuildSteps(env: Record<string, string>, opts: { incremental?: boolean } = {}): S2iStep[] {
  const artifacts: S2iStep[] = opts.incremental ? [{ op: "artifacts", dest: ARTIFACTS_DIR }] : [];
  return [
    { op: "user", user: "0" },
    { op: "copySources", dest: SOURCE_DIR },
    { op: "run", args: ["chown", "-R", "1001:0", SOURCE_DIR] },
    ...Object.keys(env)
      .sort()
      .map((name): S2iStep => ({ op: "env", name, value: env[name] })),
    { op: "user", user: "1001" },
    ...artifacts,
    { op: "run", args: [`${SCRIPTS}/assemble`] },
    { op: "cmd", args: [`${SCRIPTS}/run`] },
  ];
}

/** Environment variables that make pip, requests and npm trust an extra CA bundle. */
export const CA_VARIABLES = ["PIP_CERT", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"] as const;
