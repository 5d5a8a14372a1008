/**
 * What a run checks, decided before anything is built: which checks of the registry apply to
 * a target (a check that does not apply is reported with the reason), which sample apps the
 * user selected, and the three ways every app that serves is run.
 */
import { UsageError } from "../errors.js";
import type { Project } from "../project.js";
import type { SampleApp } from "../spec/sample-apps.js";
import { fullSiblingOf } from "../spec/select.js";
import type { ImageKind, Target } from "../spec/types.js";

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

export function imageKind(t: Target): ImageKind {
  return t.version.minimal ? "minimal" : "full";
}

/** What decides whether a check applies: the target, the project it comes from, and the run's inputs. */
export interface PlanContext {
  project: Project;
  target: Target;
  /** An extra CA bundle was given (--extra-ca). */
  extraCa: boolean;
}

/** Anything with a name that can say why it does not apply (undefined: it applies). */
export interface Applicable {
  name: string;
  appliesTo(ctx: PlanContext): string | undefined;
}

/** A check planned for one target: it runs, or it is reported as not applicable with `notApplicable` as the reason. */
export interface Planned<E extends Applicable> {
  entry: E;
  notApplicable?: string;
}

export function planEntries<E extends Applicable>(entries: readonly E[], ctx: PlanContext): Planned<E>[] {
  return entries.map((entry) => ({ entry, notApplicable: entry.appliesTo(ctx) }));
}

/** Why an app of the table does not apply to a target, or undefined: the table's `images`, and the full image a mod_wsgi flow starts from. */
export function appNotApplicable(app: SampleApp, ctx: PlanContext): string | undefined {
  const kind = imageKind(ctx.target);
  if (!app.images.includes(kind)) return `specs/sample-apps.yml runs ${app.name} on ${app.images.join(" and ")} images; this one is ${kind}`;
  if (app.flow === "mod-wsgi-multistage" && !fullSiblingOf(ctx.project.spec, ctx.target)) {
    const full = ctx.target.version.key.replace(/-minimal$/, "");
    return `needs the full image ${full} on ${ctx.target.distro.id}, which the matrix does not build`;
  }
  return undefined;
}

export interface AppSelection {
  /** Only the apps marked smoke: true (the quick subset). */
  smoke?: boolean;
  /** Only these app names (validated with validateAppNames first). */
  only?: string[];
}

/** The apps the user selected, in table order: deselected apps are left out of the report, not "not applicable". */
export function selectApps(apps: SampleApp[], sel: AppSelection): SampleApp[] {
  return apps.filter((a) => (!sel.smoke || a.smoke) && (!sel.only?.length || sel.only.includes(a.name)));
}

/** Rejects app names the table does not have: a UsageError naming the valid ones. */
export function validateAppNames(apps: SampleApp[], names: string[] | undefined): void {
  if (!names?.length) return;
  const known = apps.map((a) => a.name);
  const unknown = names.filter((a) => !known.includes(a));
  if (unknown.length) throw new UsageError(`unknown app ${unknown.map((u) => `"${u}"`).join(", ")}; valid apps: ${known.join(", ")}`);
}

/** Why a check of one of the image's own files does not apply: templates/layout.yml gives the target no such file. */
export function notRendered(ctx: PlanContext, path: string): string | undefined {
  const full = `${ctx.target.version.key}/${path}`;
  if (ctx.project.renderer.renderTarget(ctx.target).some((f) => f.path === full)) return undefined;
  return `templates/layout.yml gives ${ctx.target.version.key} on ${ctx.target.distro.id} no ${path} (its base image brings its own)`;
}
