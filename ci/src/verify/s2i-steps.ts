/**
 * How an application is built into an image "the s2i way", as a list of steps, read from the
 * builder image's configuration as the s2i CLI reads it (its Dockerfile strategy): the
 * sources to <destination>/src owned by the assemble user, the app's environment, assemble as
 * that user from the scripts URL, run as the command. An incremental build (`s2i build
 * --incremental`) also gets the previous image's save-artifacts archive, extracted at
 * <destination>/artifacts by the assemble user in the same run as assemble, as the s2i CLI does.
 * verify/engine/s2i-run.ts turns the steps into container calls.
 */
import type { SampleApp } from "../spec/sample-apps.js";
import { userPart, type ImageConfig } from "./image-settings.js";

export type S2iStep =
  | { op: "user"; user: string }
  | { op: "copySources"; dest: string; owner: string }
  | { op: "artifacts"; dest: string }
  | { op: "run"; args: string[]; assemble?: true }
  | { op: "env"; name: string; value: string }
  | { op: "cmd"; args: string[] };

/** The s2i CLI's own defaults: the scripts path when an image names none, and where the sources go. */
export const DEFAULT_SCRIPTS = "/usr/libexec/s2i";
export const DEFAULT_DESTINATION = "/tmp";

/** What the s2i CLI takes from a builder image to build on it. */
export interface S2iSettings {
  /** The user assemble runs as: the io.openshift.s2i.assemble-user label, else the image's USER (empty: root). */
  assembleUser: string;
  /** Where assemble, run and save-artifacts are: the scripts URL's image:// path. */
  scriptsDir: string;
  /** Where the sources are copied: <io.openshift.s2i.destination, default /tmp>/src. */
  sourceDir: string;
  /** Where an incremental build's artifacts are extracted: <destination>/artifacts. */
  artifactsDir: string;
}

/**
 * The s2i CLI's reading of a builder image: the scripts URL from the io.openshift.s2i.scripts-url
 * label, else the deprecated io.s2i.scripts-url, else the STI_SCRIPTS_URL variable, else its
 * default; only image:// URLs (scripts inside the image) are supported here.
 */
export function s2iSettings(c: Pick<ImageConfig, "user" | "labels" | "env">): S2iSettings {
  const url = c.labels["io.openshift.s2i.scripts-url"] || c.labels["io.s2i.scripts-url"] || c.env.STI_SCRIPTS_URL || `image://${DEFAULT_SCRIPTS}`;
  if (!url.startsWith("image://"))
    throw new Error(`the image's scripts URL ${JSON.stringify(url)} is not an image:// path; only scripts inside the image are supported`);
  const dest = c.labels["io.openshift.s2i.destination"] || DEFAULT_DESTINATION;
  return {
    assembleUser: c.labels["io.openshift.s2i.assemble-user"] || c.user || "0",
    scriptsDir: url.slice("image://".length).replace(/\/+$/, ""),
    sourceDir: `${dest}/src`,
    artifactsDir: `${dest}/artifacts`,
  };
}

export function s2iBuildSteps(env: Record<string, string>, s: S2iSettings, opts: { incremental?: boolean } = {}): S2iStep[] {
  const user = s.assembleUser;
  const artifacts: S2iStep[] = opts.incremental ? [{ op: "artifacts", dest: s.artifactsDir }] : [];
  return [
    { op: "user", user: "0" },
    { op: "copySources", dest: s.sourceDir, owner: `${userPart(user)}:0` },
    ...Object.keys(env)
      .sort()
      .map((name): S2iStep => ({ op: "env", name, value: env[name] })),
    { op: "user", user },
    ...artifacts,
    { op: "run", args: [`${s.scriptsDir}/assemble`], assemble: true },
    { op: "cmd", args: [`${s.scriptsDir}/run`] },
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
