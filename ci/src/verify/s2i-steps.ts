/**
 * How an application is built into an image "the s2i way", as a list of steps: sources to
 * /tmp/src owned by the image user, the app's environment, assemble as uid 1001, run as the
 * command. An incremental build (`s2i build --incremental`) also gets the previous image's
 * save-artifacts archive, extracted at /tmp/artifacts by the image user in the same run as
 * assemble, as the s2i CLI does. verify/engine/s2i-run.ts turns the steps into container calls.
 */
import type { SampleApp } from "../spec/sample-apps.js";

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

/** Where an extra CA bundle is mounted while assemble runs (never part of the image). */
export const EXTRA_CA_PATH = "/run/s2i-extra-ca/ca.pem";

/** The app's build-time environment: its .s2i/environment, then the table's env with placeholders filled. */
export function appEnvironment(app: SampleApp, s2iEnvironment: string, vars: Record<string, string> = {}): Record<string, string> {
  const env = parseS2iEnvironment(s2iEnvironment);
  for (const [k, v] of Object.entries(app.env)) {
    env[k] = v.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      if (!(name in vars)) throw new Error(`sample app ${app.name}: env ${k} names {{${name}}}, which this run does not provide`);
      return vars[name];
    });
  }
  return env;
}

/** KEY=VALUE lines of an s2i .s2i/environment file; blank lines and # comments are skipped. */
export function parseS2iEnvironment(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`.s2i/environment: "${line}" is not KEY=VALUE`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return env;
}
