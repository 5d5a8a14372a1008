/**
 * Runs the planned checks of one image: the image build first, then the image checks at once
 * and the sample apps a few at a time. Never throws for a failed check: a check that throws is
 * a failure ("the check runs"); a check that does not apply (decided by the plan) is reported
 * as not-applicable with its reason; when the image does not build, every check that applies
 * is reported as not-run, saying so. No check is skipped at run time.
 */
import { errorLine, errorTail } from "../error-text.js";
import type { Planned } from "../plan.js";
import { mapPool } from "../pool.js";
import { engineFaultOf, FAULT_PREFIX } from "../faults.js";
import { planLine, resultLine } from "../progress.js";
import type { CheckResult, Outcome, Verdict } from "../results.js";
import { imageLabel, type AnyCheck, type ImageUnderTest } from "./check-entry.js";
import { IMAGE_BUILD } from "./checks.js";

/** How many sample apps of one image are checked at once. */
const APP_CONCURRENCY = 3;

/** One entry on the image under test: run, then judged; timed, with one progress line. */
export function runCheck(u: ImageUnderTest, entry: AnyCheck): Promise<CheckResult> {
  return timed(u, entry.name, async () => entry.judge(await entry.run(u), u.target));
}

export async function runImageChecks(u: ImageUnderTest, imageChecks: Planned<AnyCheck>[], appChecks: Planned<AnyCheck>[]): Promise<CheckResult[]> {
  console.error(planLine(imageLabel(u), 1 + imageChecks.length + appChecks.length));
  const build = await runCheck(u, IMAGE_BUILD);
  const unrun = (name: string, outcome: Outcome, reason: string): CheckResult => {
    const r: CheckResult = { name, image: imageLabel(u), outcome, seconds: 0, reason };
    console.error(resultLine(r));
    return r;
  };
  const notApplicable = (c: Planned<AnyCheck>) => unrun(c.entry.name, "not-applicable", c.notApplicable!);
  const all = [...imageChecks, ...appChecks];
  if (build.outcome === "fail") {
    const notRun = (c: Planned<AnyCheck>) => unrun(c.entry.name, "not-run", `the image did not build (${IMAGE_BUILD.name} failed)`);
    return [build, ...all.map((c) => (c.notApplicable === undefined ? notRun(c) : notApplicable(c)))];
  }
  const run = (c: Planned<AnyCheck>) => (c.notApplicable === undefined ? runCheck(u, c.entry) : Promise.resolve(notApplicable(c)));
  const imageResults = await Promise.all(imageChecks.map(run));
  const appResults = await mapPool(appChecks, APP_CONCURRENCY, run);
  return [build, ...imageResults, ...appResults];
}

/** Runs fn as the check `name` of the image: a throw is a failure, the time is kept, a progress line is printed on stderr. */
export async function timed(u: ImageUnderTest, name: string, fn: () => Promise<Verdict>): Promise<CheckResult> {
  const started = performance.now();
  let v: Verdict | Pick<CheckResult, "outcome" | "reason">;
  if (u.fault?.reason) {
    v = { outcome: "not-run", reason: `not started after an engine fault (${u.fault.reason})` };
  } else {
    try {
      v = await fn();
    } catch (e) {
      const fault = engineFaultOf(e);
      if (fault && u.fault) u.fault.reason ??= fault;
      v = fault
        ? { outcome: "not-run", reason: `${FAULT_PREFIX}${fault}` }
        : { outcome: "fail", expected: "the check runs", got: errorLine(e), logTail: errorTail(e) };
    }
  }
  const r: CheckResult = { name, image: imageLabel(u), seconds: (performance.now() - started) / 1000, ...v };
  console.error(resultLine(r));
  return r;
}
