import type { File, Secret } from "@dagger.io/dagger";
import { UsageError } from "../errors.js";
import type { Target } from "../matrix/types.js";
import { fullSiblingOf, targetName } from "../matrix/select.js";
import { planChecks, type Check } from "../verify/plan.js";
import type { CheckResult } from "../verify/report.js";
import { buildImage } from "./build.js";
import type { ModuleProject } from "./project.js";
import { verifyImage } from "./verify.js";

export interface TestOptions {
  /** Only the apps marked smoke: true. */
  smoke?: boolean;
  /** Only these apps (names from specs/sample-apps.yml). */
  apps?: string[];
  /** The CA bundle as a file (assemble) and as a build secret (dockerBuild). */
  extraCa?: { file: File; secret: Secret };
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
 * explicit app list selects nothing for a target.
 */
export function planTargets(project: ModuleProject, targets: Target[], opts: TestOptions): Map<Target, Check[]> {
  checkAppNames(project, opts.apps);
  const plans = new Map<Target, Check[]>();
  for (const t of targets) {
    const checks = planChecks(t, project.apps, { smoke: opts.smoke, only: opts.apps?.length ? opts.apps : undefined });
    plans.set(t, checks);
  }
  if (opts.apps?.length && [...plans.values()].every((c) => c.length === 0)) {
    const kinds = targets.map(targetName).join(", ");
    throw new UsageError(`none of the apps ${opts.apps.join(", ")} applies to ${kinds}${opts.smoke ? " with --smoke" : ""}; see "images" in specs/sample-apps.yml`);
  }
  return plans;
}

/** Builds one target (and its full sibling when a Dockerfile flow needs it) and runs its checks. */
export function testTarget(project: ModuleProject, t: Target, checks: Check[], opts: TestOptions, runId: string): Promise<CheckResult[]> {
  const image = buildImage(project.renderer, t, opts.extraCa?.secret);
  const sibling = fullSiblingOf(project.spec, t);
  return verifyImage(
    {
      project,
      target: t,
      image,
      // Lazy: built only if a check starts FROM it.
      fullSibling: sibling && { target: sibling, image: buildImage(project.renderer, sibling, opts.extraCa?.secret) },
      extraCa: opts.extraCa?.file,
      runId,
    },
    checks,
  );
}

/** A run id: changes every run so probe steps are never answered from the cache. */
export function newRunId(): string {
  return `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
}
