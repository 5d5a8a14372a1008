import type { Target } from "../matrix/types.js";
import type { CheckResult } from "../verify/report.js";
import type { ModuleProject } from "./project.js";
import { newRunId, planTargets, testTarget, type TestOptions } from "./test.js";
import { mapPool } from "../pool.js";

/**
 * Tests several targets, at most `concurrency` at once, into one list of results. Every
 * target is planned (and bad input rejected) before the first build starts.
 */
export async function testTargets(project: ModuleProject, targets: Target[], opts: TestOptions, concurrency: number): Promise<CheckResult[]> {
  const plans = planTargets(project, targets, opts);
  const runId = newRunId();
  const perTarget = await mapPool(targets, concurrency, (t) => testTarget(project, t, plans.get(t)!, opts, runId));
  return perTarget.flat();
}
