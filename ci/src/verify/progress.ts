/**
 * The progress lines a run prints on stderr, one per finished check, after one line with the
 * plan of each image. They are for people, and for the `dagger call` stand-in, which reads them
 * to say how far a run got when the engine went away: so the format is written and read here.
 */
import type { CheckResult, Outcome } from "./results.js";

const PLAN = / plan: (\d+) checks$/;
const RESULT = /^(\S+)\s+(.+?) \((\d+(?:\.\d+)?) s\)(?:: (.*))?$/;

/** "[3.11 on debian12] plan: 33 checks": printed before the image is built. */
export function planLine(image: string, checks: number): string {
  return `[${image}] plan: ${checks} checks`;
}

/** "[3.11 on debian12] pass app-home (12.3 s)", with what failed or why a check did not run. */
export function resultLine(r: CheckResult): string {
  const why = r.got ? `: ${r.got.slice(0, 160)}` : r.observed ? `: ${r.observed}` : r.reason ? `: ${r.reason}` : "";
  return `[${r.image}] ${r.outcome.padEnd(4)} ${r.name} (${r.seconds.toFixed(1)} s)${why}`;
}

export type ProgressEvent = { image: string; planned: number } | { image: string; result: Pick<CheckResult, "name" | "outcome" | "seconds"> };

/** One line read back; undefined for any other line (logs the module prints besides). */
export function parseProgressLine(line: string, outcomes: readonly Outcome[]): ProgressEvent | undefined {
  const m = /^\[([^\]]+)\] (.*)$/.exec(line.trimEnd());
  if (!m) return undefined;
  const [, image, rest] = m;
  const plan = PLAN.exec(` ${rest}`);
  if (plan) return { image, planned: Number(plan[1]) };
  const r = RESULT.exec(rest);
  if (!r || !outcomes.includes(r[1] as Outcome)) return undefined;
  return { image, result: { name: r[2], outcome: r[1] as Outcome, seconds: Number(r[3]) } };
}
