import type { Container, File } from "@dagger.io/dagger";
import { mapPool } from "../pool.js";
import { targetName } from "../matrix/select.js";
import type { Target } from "../matrix/types.js";
import { tail } from "../verify/http-check.js";
import { IMAGE_CHECKS, type Check } from "../verify/plan.js";
import type { CheckResult, Verdict } from "../verify/report.js";
import { verifyApp } from "./app-check.js";
import { buildFailureHint } from "./build.js";
import { checkMachine, checkNoExtraCa, checkPythonVersion, checkUsage } from "./image-checks.js";
import { LIBRARY_CHECKS } from "./library-checks.js";
import { errorLine, errorText } from "./probe.js";
import type { ModuleProject } from "./project.js";

/** Everything the checks of one image need: the one definition of "the image under test". */
export interface ImageUnderTest {
  project: ModuleProject;
  target: Target;
  image: Container;
  /** The full image of the same Python on the same distro (minimal images' mod_wsgi flow). */
  fullSibling?: { target: Target; image: Container };
  extraCa?: File;
  /** Unique per run: keeps probe steps from being answered from the cache. */
  runId: string;
  /** The platform asked for, if any (the report names it). */
  platform?: string;
}

/** A new runId: the run's start time and a random suffix. */
export function newRunId(): string {
  return `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The image's name in reports and progress lines: "3.11-minimal on debian12", with the platform when one was asked for. */
export function imageLabel(u: ImageUnderTest): string {
  return targetName(u.target, u.platform);
}

/** How many sample apps of one image are checked at once. */
const APP_CONCURRENCY = 3;

/** The name of the check that builds the image itself. */
export const IMAGE_BUILD = "image build";

/**
 * Builds the image, then runs the image checks and every planned app check; never throws
 * for a failed check. When the image does not build, that is the one failure reported and
 * the other checks are listed as not run, with the reason.
 */
export async function verifyImage(u: ImageUnderTest, checks: Check[]): Promise<CheckResult[]> {
  console.error(`[${imageLabel(u)}] building the image, then ${checks.length} app checks`);
  const build = await timed(u, IMAGE_BUILD, async () => {
    try {
      await u.image.sync();
      return { outcome: "pass" };
    } catch (e) {
      const hint = buildFailureHint(u.target, e);
      if (!hint) throw e;
      return { outcome: "fail", expected: "the image builds", got: hint, logTail: tail(errorText(e)) };
    }
  });
  const imageChecks: [string, () => Promise<Verdict>][] = [
    [IMAGE_CHECKS.usage, () => checkUsage(u.image)],
    [IMAGE_CHECKS.pythonVersion, () => checkPythonVersion(u.image, u.target.version.version)],
    [IMAGE_CHECKS.machine, () => checkMachine(u.image)],
  ];
  if (u.extraCa) imageChecks.push([IMAGE_CHECKS.noExtraCa, () => checkNoExtraCa(u.image, u.extraCa!)]);
  for (const c of LIBRARY_CHECKS) imageChecks.push([c.name, () => c.run(u.image, u.extraCa)]);
  if (build.outcome === "fail") {
    const notRun = (name: string): CheckResult => ({ name, image: imageLabel(u), outcome: "skip", seconds: 0, reason: "the image did not build" });
    return [build, ...imageChecks.map(([name]) => notRun(name)), ...checks.map((c) => notRun(c.app.name))];
  }
  const imageResults = await Promise.all(imageChecks.map(([name, fn]) => timed(u, name, fn)));
  const appResults = await mapPool(checks, APP_CONCURRENCY, (c) => timed(u, c.app.name, () => verifyApp(u, c.app)));
  return [build, ...imageResults, ...appResults];
}

export async function timed(u: ImageUnderTest, name: string, fn: () => Promise<Verdict>): Promise<CheckResult> {
  const started = performance.now();
  let v: Verdict;
  try {
    v = await fn();
  } catch (e) {
    v = { outcome: "fail", expected: "the check runs", got: errorLine(e), logTail: tail(errorText(e)) };
  }
  const r: CheckResult = { name, image: imageLabel(u), seconds: (performance.now() - started) / 1000, ...v };
  // One line per finished check: the progress of a long run, on stderr.
  console.error(`[${r.image}] ${r.outcome.padEnd(4)} ${name} (${r.seconds.toFixed(1)} s)${r.got ? `: ${r.got.slice(0, 160)}` : r.reason ? `: ${r.reason}` : ""}`);
  return r;
}
