/**
 * Runs the planned checks of one image: the image build first, then the image checks at once
 * and the sample apps a few at a time. Never throws for a failed check: a check that throws is
 * a failure ("the check runs"); a check that does not apply is reported as skipped with its
 * reason; when the image does not build, every other check is listed as not run.
 */
import { errorLine, errorTail } from "../error-text.js";
import type { Planned } from "../plan.js";
import { mapPool } from "../pool.js";
import { notApplicable, type CheckResult, type Verdict } from "../results.js";
import { imageLabel, type AnyCheck, type ImageUnderTest } from "./check-entry.js";
import { IMAGE_BUILD } from "./checks.js";

/** How many sample apps of one image are checked at once. */
const APP_CONCURRENCY = 3;

/** One entry on the image under test: run, then judged; timed, with one progress line. */
export function runCheck(u: ImageUnderTest, entry: AnyCheck): Promise<CheckResult> {
  return timed(u, entry.name, async () => entry.judge(await entry.run(u), u.target));
}

export async function runImageChecks(u: ImageUnderTest, imageChecks: Planned<AnyCheck>[], appChecks: Planned<AnyCheck>[]): Promise<CheckResult[]> {
  console.error(`[${imageLabel(u)}] building the image, then ${appChecks.filter((c) => !c.notApplicable).length} app checks`);
  const build = await runCheck(u, IMAGE_BUILD);
  const skipped = (name: string, reason: string): CheckResult => ({ name, image: imageLabel(u), outcome: "skip", seconds: 0, reason });
  const all = [...imageChecks, ...appChecks];
  const reason = (c: Planned<AnyCheck>) => (c.notApplicable === undefined ? undefined : notApplicable(c.notApplicable));
  if (build.outcome === "fail") return [build, ...all.map((c) => skipped(c.entry.name, reason(c) ?? "the image did not build"))];
  const run = (c: Planned<AnyCheck>) => (c.notApplicable === undefined ? runCheck(u, c.entry) : Promise.resolve(skipped(c.entry.name, reason(c)!)));
  const imageResults = await Promise.all(imageChecks.map(run));
  const appResults = await mapPool(appChecks, APP_CONCURRENCY, run);
  return [build, ...imageResults, ...appResults];
}

/** Runs fn as the check `name` of the image: a throw is a failure, the time is kept, a progress line is printed on stderr. */
export async function timed(u: ImageUnderTest, name: string, fn: () => Promise<Verdict>): Promise<CheckResult> {
  const started = performance.now();
  let v: Verdict;
  try {
    v = await fn();
  } catch (e) {
    v = { outcome: "fail", expected: "the check runs", got: errorLine(e), logTail: errorTail(e) };
  }
  const r: CheckResult = { name, image: imageLabel(u), seconds: (performance.now() - started) / 1000, ...v };
  console.error(
    `[${r.image}] ${r.outcome.padEnd(4)} ${name} (${r.seconds.toFixed(1)} s)${r.got ? `: ${r.got.slice(0, 160)}` : r.reason ? `: ${r.reason}` : ""}`,
  );
  return r;
}
