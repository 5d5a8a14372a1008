/**
 * The results of a verification run: one CheckResult per check of the report, and the verdict
 * over them (a run passes when nothing failed). The Dagger `test` function writes them in three
 * formats (report-formats.ts); `check-report` judges an exported results.json again.
 */
import { ChecksFailedError } from "../errors.js";

export type Outcome = "pass" | "fail" | "skip";

export interface CheckResult {
  /** The check's name in the registry (verify/engine/checks.ts): "python --version", a sample app, ... */
  name: string;
  /** "3.11-minimal on debian12". */
  image: string;
  outcome: Outcome;
  seconds: number;
  /** For failures: what was expected, what came back, and the tail of the container's log. */
  expected?: string;
  got?: string;
  logTail?: string;
  /** For skips: why (a check that does not apply says "not applicable: ..."). */
  reason?: string;
}

/** A check's verdict, before it is named and timed. */
export type Verdict = Omit<CheckResult, "name" | "image" | "seconds">;

export interface Report {
  started: string;
  results: CheckResult[];
}

export const PASS: Verdict = { outcome: "pass" };

/** The reason of a check that does not apply to a run, as the report gives it. */
export function notApplicable(why: string): string {
  return `not applicable: ${why}`;
}

export function summarize(results: CheckResult[]) {
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return { passed: count("pass"), failed: count("fail"), skipped: count("skip"), total: results.length };
}

export function passed(results: CheckResult[]): boolean {
  return results.length > 0 && results.every((r) => r.outcome !== "fail");
}

/** The failure message of a set of results, or undefined when they all passed. */
export function failureMessage(results: CheckResult[]): string | undefined {
  if (passed(results)) return undefined;
  if (results.length === 0) return "no check ran";
  const s = summarize(results);
  const lines = results
    .filter((r) => r.outcome === "fail")
    .map(
      (r) =>
        `- ${r.name} on ${r.image}: expected ${r.expected ?? "a pass"}; got ${r.got ?? "a failure"}${r.logTail ? `\n    log tail:\n${indent(r.logTail, "      ")}` : ""}`,
    );
  return [`${s.failed} of ${s.total} checks failed (${s.passed} passed, ${s.skipped} skipped):`, ...lines].join("\n");
}

/** Throws ChecksFailedError when any result failed. */
export function assertPassed(results: CheckResult[]): void {
  const msg = failureMessage(results);
  if (msg) throw new ChecksFailedError(msg);
}

/** The verdict on an exported report's results.json text: the same as a failing test run's. */
export function judgeReportJson(json: string): string {
  const parsed = JSON.parse(json) as Report;
  assertPassed(parsed.results);
  const s = summarize(parsed.results);
  return `all checks passed: ${s.passed} passed, ${s.skipped} skipped`;
}

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}
