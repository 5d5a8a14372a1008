/**
 * What a report of a `test` run must hold, from the registry itself: one result per planned
 * check (every image check, every app of the selection), each passing where it applies and
 * not-applicable with the plan's reason where it does not. The Debian image tests and the
 * GitHub workflow test judge their reports with it.
 */
import type { ExecutionContext } from "ava";
import { IMAGE_BUILD, IMAGE_CHECKS, sampleAppCheck } from "../../ci/src/verify/engine/checks.js";
import { planEntries, selectApps } from "../../ci/src/verify/plan.js";
import type { Report } from "../../ci/src/verify/results.js";
import type { Target } from "../../ci/src/spec/types.js";
import { resultLine } from "./dagger-call.js";
import { project } from "./project.js";

/** The target whose full report the GitHub workflow test makes (its test job, for one Debian target). */
export const WORKFLOW_TARGET = { version: "3.11-minimal", distro: "debian12" };

export async function assertReportCoversPlan(t: ExecutionContext, report: Report, target: Target, smoke: boolean, where: string): Promise<void> {
  const loaded = await project();
  for (const res of report.results) t.log(resultLine(res));
  const ctx = { project: loaded, target, extraCa: true };
  const planned = [...planEntries(IMAGE_CHECKS, ctx), ...planEntries(selectApps(loaded.apps, { smoke }).map(sampleAppCheck), ctx)];
  t.deepEqual(report.results.map((x) => x.name).sort(), [IMAGE_BUILD.name, ...planned.map((c) => c.entry.name)].sort(), "one result per planned check");
  t.true(planned.some((c) => c.notApplicable === undefined));
  const wrong = report.results.filter((x) => {
    const why = planned.find((c) => c.entry.name === x.name)?.notApplicable;
    return why === undefined ? x.outcome !== "pass" : x.outcome !== "not-applicable" || x.reason !== why;
  });
  t.deepEqual(wrong.map(resultLine), [], `every applicable check passes, every other is not applicable, with the plan's reason (report in ${where})`);
}
