import type { File } from "@dagger.io/dagger";
import { UsageError } from "../errors.js";
import { fullSiblingOf, targetName } from "../matrix/select.js";
import type { Target } from "../matrix/types.js";
import { mapPool } from "../pool.js";
import { planChecks, type Check } from "../verify/plan.js";
import type { CheckResult } from "../verify/report.js";
import { buildImage, checkBuildInputs, type BuildInputs } from "./build.js";
import type { ModuleProject } from "./project.js";
import { newRunId, verifyImage } from "./verify.js";

export interface TestOptions {
  /** Only the apps marked smoke: true. */
  smoke?: boolean;
  /** Only these apps (names from specs/sample-apps.yml). */
  apps?: string[];
  /** The CA bundle that pip, requests and npm trust while the apps are built. */
  extraCa?: File;
  /** What the image builds get: the same CA as a build secret, a subscription, an apt mirror. */
  build: BuildInputs;
}

/** Rejects app names the table does not have: a UsageError naming the valid ones. */
export function checkAppNames(project: ModuleProject, apps: string[] | undefined): void {
  if (!apps?.length) return;
  const known = project.apps.map((a) => a.name);
  const unknown = apps.filter((a) => !known.includes(a));
  if (unknown.length) throw new UsageError(`unknown app ${unknown.map((u) => `"${u}"`).join(", ")}; valid apps: ${known.join(", ")}`);
}

/**
 * The checks of each target, planned before anything is built; a UsageError when an
 * explicit app list selects nothing for a target or a build input does not apply.
 */
export function planTargets(project: ModuleProject, targets: Target[], opts: Omit<TestOptions, "build"> & { build: { subscription?: unknown; aptMirror?: string; platform?: string } }): Map<Target, Check[]> {
  checkAppNames(project, opts.apps);
  const plans = new Map<Target, Check[]>();
  for (const t of targets) {
    checkBuildInputs(t, opts.build);
    plans.set(t, planChecks(t, project.apps, { smoke: opts.smoke, only: opts.apps?.length ? opts.apps : undefined }));
  }
  if (opts.apps?.length && [...plans.values()].every((c) => c.length === 0)) {
    const kinds = targets.map((t) => targetName(t)).join(", ");
    throw new UsageError(`none of the apps ${opts.apps.join(", ")} applies to ${kinds}${opts.smoke ? " with --smoke" : ""}; see "images" in specs/sample-apps.yml`);
  }
  return plans;
}

/** Builds one target (and its full sibling when a Dockerfile flow needs it) and runs its checks. */
function testTarget(project: ModuleProject, t: Target, checks: Check[], opts: TestOptions, runId: string): Promise<CheckResult[]> {
  const sibling = fullSiblingOf(project.spec, t);
  return verifyImage(
    {
      project,
      target: t,
      image: buildImage(project.renderer, t, opts.build),
      // Lazy: built only if a check starts FROM it.
      fullSibling: sibling && { target: sibling, image: buildImage(project.renderer, sibling, opts.build) },
      extraCa: opts.extraCa,
      runId,
      platform: opts.build.platform,
    },
    checks,
  );
}

/**
 * Tests several targets, at most `concurrency` at once, into one list of results. Every
 * target is planned (and bad input rejected) before the first build starts.
 */
export async function testTargets(project: ModuleProject, targets: Target[], opts: TestOptions, concurrency: number): Promise<CheckResult[]> {
  const plans = planTargets(project, targets, opts);
  // Changes every run, so probe steps are never answered from the cache.
  const runId = newRunId();
  const perTarget = await mapPool(targets, concurrency, (t) => testTarget(project, t, plans.get(t)!, opts, runId));
  return perTarget.flat();
}
