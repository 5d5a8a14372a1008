/**
 * The `test` and `test-matrix` runs: every target planned (its checks, and bad input refused)
 * before the first build starts, then built and checked, at most `concurrency` at once.
 */
import type { File } from "@dagger.io/dagger";
import { UsageError } from "../../errors.js";
import { validateBuildInputs } from "../../build/inputs.js";
import { buildImage, type BuildInputs } from "../../build/engine/image-build.js";
import { buildInputs, type BuildArgs } from "../../build/engine/build-secrets.js";
import type { ModuleProject } from "../../spec/engine/module-project.js";
import { fullSiblingOf, targetName } from "../../spec/select.js";
import type { Target } from "../../spec/types.js";
import { planEntries, selectApps, validateAppNames, type Planned } from "../plan.js";
import { mapPool } from "../pool.js";
import type { CheckResult } from "../results.js";
import type { ImageIdentity } from "../image-identity.js";
import { newRunId, type AnyCheck } from "./check-entry.js";
import { IMAGE_CHECKS, sampleAppCheck } from "./checks.js";
import { runImageChecks } from "./run-checks.js";
import { identifyImage } from "./identify-image.js";

export interface TestOptions {
  /** Only the image checks: no sample app. */
  imageOnly?: boolean;
  /** Only the apps marked smoke: true. */
  smoke?: boolean;
  /** Only these apps (names from specs/sample-apps.yml). */
  apps?: string[];
  /** The CA bundle that pip, requests and npm trust while the apps are built. */
  extraCa?: File;
  /** What the image builds get: the same CA as a build secret, a subscription, an apt mirror. */
  build: BuildInputs;
}

/** The options of a run, with the build inputs turned into build secrets. */
export async function testOptions(a: BuildArgs & AppArgs): Promise<TestOptions> {
  return { imageOnly: a.imageOnly, smoke: a.smoke, apps: a.apps, extraCa: a.extraCa, build: await buildInputs(a) };
}

/** Which sample apps a run checks: none (imageOnly), the smoke set, or the named ones. */
export interface AppArgs {
  imageOnly?: boolean;
  smoke?: boolean;
  apps?: string[];
}

/** The planned checks of one target: the image checks and the selected apps, each applicable or not. */
export interface TargetPlan {
  imageChecks: Planned<AnyCheck>[];
  appChecks: Planned<AnyCheck>[];
}

/**
 * The checks of each target, planned before anything is built; a UsageError when an app
 * name is unknown, an explicit app list applies to no target, or a build input does not apply.
 */
export function planTargets(
  project: ModuleProject,
  targets: Target[],
  opts: AppArgs & { extraCa?: unknown; build: { subscription?: unknown; aptMirror?: string; platform?: string } },
): Map<Target, TargetPlan> {
  validateAppNames(project.apps, opts.apps);
  if (opts.imageOnly && (opts.apps?.length || opts.smoke)) throw new UsageError("--image-only checks no sample app: leave out --apps and --smoke");
  const apps = opts.imageOnly ? [] : selectApps(project.apps, { smoke: opts.smoke, only: opts.apps }).map(sampleAppCheck);
  const plans = new Map<Target, TargetPlan>();
  for (const target of targets) {
    validateBuildInputs(target, opts.build);
    const ctx = { project, target, extraCa: Boolean(opts.extraCa) };
    plans.set(target, { imageChecks: planEntries(IMAGE_CHECKS, ctx), appChecks: planEntries(apps, ctx) });
  }
  const applies = [...plans.values()].some((p) => p.appChecks.some((c) => c.notApplicable === undefined));
  if (opts.apps?.length && !applies) {
    const kinds = targets.map((t) => targetName(t)).join(", ");
    throw new UsageError(
      `none of the apps ${opts.apps.join(", ")} applies to ${kinds}${opts.smoke ? " with --smoke" : ""}; see "images" in specs/sample-apps.yml`,
    );
  }
  return plans;
}

/** What a run checked: the results, and the identity of each image that built. */
export interface TestedTargets {
  results: CheckResult[];
  images: ImageIdentity[];
}

/** Builds one target (and its full sibling when a Dockerfile flow needs it), runs its checks and identifies the image. */
async function testTarget(
  project: ModuleProject,
  t: Target,
  plan: TargetPlan,
  opts: TestOptions,
  runId: string,
  fault: { reason?: string },
): Promise<TestedTargets> {
  const sibling = fullSiblingOf(project.spec, t);
  const u = {
    project,
    target: t,
    image: buildImage(project.renderer, t, opts.build),
    // Lazy: built only if a check starts FROM it.
    fullSibling: sibling && { target: sibling, image: buildImage(project.renderer, sibling, opts.build) },
    extraCa: opts.extraCa,
    runId,
    platform: opts.build.platform,
    fault,
  };
  // An image that did not build has no identity: its report says why, and no publish takes it.
  const [results, identity] = await Promise.all([
    runImageChecks(u, plan.imageChecks, plan.appChecks),
    identifyImage(u.image, targetName(t)).catch(() => undefined),
  ]);
  return { results, images: identity ? [identity] : [] };
}

/** Tests several targets, at most `concurrency` at once, into one list of results and the identities of the images. */
export async function testTargets(project: ModuleProject, targets: Target[], opts: TestOptions, concurrency: number): Promise<TestedTargets> {
  const plans = planTargets(project, targets, opts);
  // Changes every run, so probe steps are never answered from the cache.
  const runId = newRunId();
  // One fault ends the whole run: no target starts a check after it.
  const fault: { reason?: string } = {};
  const perTarget = await mapPool(targets, concurrency, (t) => testTarget(project, t, plans.get(t)!, opts, runId, fault));
  return { results: perTarget.flatMap((p) => p.results), images: perTarget.flatMap((p) => p.images) };
}
