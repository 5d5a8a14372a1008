import { targetName } from "../matrix/select.js";
import type { ImageKind, Target } from "../matrix/types.js";
import type { SampleApp } from "./apps.js";

/** One sample-app check to run against one image. */
export interface Check {
  app: SampleApp;
  target: Target;
  /** "3.11-minimal on debian12": the image the check proves. */
  image: string;
}

/**
 * Every app that serves is run three ways, as upstream's tests do: as an arbitrary uid in
 * group 0 (twice, two uids) and with the init wrapper. Each run is probed over HTTP.
 */
export interface RunVariant {
  name: string;
  user?: string;
  env: Record<string, string>;
}

export const RUN_VARIANTS: readonly RunVariant[] = [
  { name: "uid 100001", user: "100001", env: {} },
  { name: "uid 12345", user: "12345", env: {} },
  { name: "init wrapper", env: { ENABLE_INIT_WRAPPER: "true" } },
];

/** Image-level checks run once per image besides the apps. */
export const IMAGE_CHECKS = {
  usage: "usage exits 0",
  pythonVersion: "python --version",
  noExtraCa: "no extra CA in the image",
  machine: "runs on its platform",
} as const;

export function imageKind(t: Target): ImageKind {
  return t.version.minimal ? "minimal" : "full";
}

export interface PlanOptions {
  /** Only the apps marked smoke: true (the quick subset). */
  smoke?: boolean;
  /** Only these app names; unknown names are the caller's error to report. */
  only?: string[];
}

/** The checks that apply to a target, in table order: the table's `images` decides. */
export function planChecks(t: Target, apps: SampleApp[], opts: PlanOptions = {}): Check[] {
  const kind = imageKind(t);
  return apps
    .filter((a) => a.images.includes(kind))
    .filter((a) => !opts.smoke || a.smoke)
    .filter((a) => !opts.only || opts.only.includes(a.name))
    .map((app) => ({ app, target: t, image: targetName(t) }));
}

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
