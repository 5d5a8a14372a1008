/**
 * The results of a verification run: one CheckResult per check of the report, and the verdict
 * over them. Four outcomes: a check passed or failed when it ran; a check that cannot apply to
 * a target is "not-applicable" (decided from the spec before anything runs, with why); a check
 * that should have run and did not (the image did not build) is "not-run" (with why). A run
 * passes when at least one check passed and every other one is not applicable: a not-run check
 * fails it like a failed one. The Dagger `test` function writes the results in three formats
 * (report-formats.ts); `check-report` and `publish` judge them here.
 */
import { ChecksFailedError, UsageError } from "../errors.js";
import type { ImageIdentity } from "./image-identity.js";

export const OUTCOMES = ["pass", "fail", "not-applicable", "not-run"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcomes a report may hold and still pass (check-report, publish). */
export const ACCEPTED: readonly Outcome[] = ["pass", "not-applicable"];

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
  /** What a check that ran saw, in one line, when the report should show it (a stop's time and exit status). */
  observed?: string;
  /** For not-applicable and not-run: why. */
  reason?: string;
}

/** A judge's verdict, before it is named and timed: only a check that ran has one, and it passed or failed. */
export type Verdict = Pick<CheckResult, "expected" | "got" | "logTail" | "observed"> & { outcome: "pass" | "fail" };

export interface Report {
  started: string;
  results: CheckResult[];
  /** Set when the engine failed during the run: why. Such a report never passes. */
  incomplete?: string;
  /** Each image the run built and checked, by content (`publish --report` compares them with what it pushes). */
  images?: ImageIdentity[];
}

export const PASS: Verdict = { outcome: "pass" };

/** How the writers and the failure message name an outcome. */
export const OUTCOME_WORDS: Record<Outcome, string> = { pass: "pass", fail: "FAIL", "not-applicable": "not applicable", "not-run": "NOT RUN" };

export function summarize(results: CheckResult[]) {
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return { passed: count("pass"), failed: count("fail"), notApplicable: count("not-applicable"), notRun: count("not-run"), total: results.length };
}

/** The counts of a summary in words: "3 passed, 1 failed, 2 not run, 4 not applicable". */
export function summaryLine(s: ReturnType<typeof summarize>): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.notRun} not run, ${s.notApplicable} not applicable`;
}

/** A run passes when a check passed and every result is accepted (pass, not applicable). */
export function passed(results: CheckResult[]): boolean {
  return results.some((r) => r.outcome === "pass") && results.every((r) => ACCEPTED.includes(r.outcome));
}

/** One line of a result that is not accepted, for the failure message. */
function notAcceptedLine(r: CheckResult): string {
  if (r.outcome === "not-run") return `- ${r.name} on ${r.image}: not run: ${r.reason ?? "no reason given"}`;
  const log = r.logTail ? `\n    log tail:\n${indent(r.logTail, "      ")}` : "";
  return `- ${r.name} on ${r.image}: expected ${r.expected ?? "a pass"}; got ${r.got ?? "a failure"}${log}`;
}

/** The failure message of a set of results, or undefined when the run passed. */
export function failureMessage(results: CheckResult[]): string | undefined {
  if (passed(results)) return undefined;
  const s = summarize(results);
  const bad = results.filter((r) => !ACCEPTED.includes(r.outcome));
  if (!bad.length) return `no check ran: ${summaryLine(s)}`;
  return [`${bad.length} of ${s.total} checks did not pass (${summaryLine(s)}):`, ...bad.map(notAcceptedLine)].join("\n");
}

/** Throws ChecksFailedError when the run did not pass. */
export function assertPassed(results: CheckResult[]): void {
  const msg = failureMessage(results);
  if (msg) throw new ChecksFailedError(msg);
}

/** Reads an exported results.json; a UsageError when it is not a report of these outcomes (an older report's "skip" is refused). */
export function parseReportJson(json: string): Report {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new UsageError(`results.json is not JSON: ${(e as Error).message}`);
  }
  const results = (parsed as Partial<Report> | null)?.results;
  if (!Array.isArray(results)) throw new UsageError("results.json has no results list");
  results.forEach((r: Partial<CheckResult>, i) => {
    if (!OUTCOMES.includes(r?.outcome as Outcome)) {
      throw new UsageError(
        `results.json: result ${i} (${r?.name ?? "no name"}) has the outcome ${JSON.stringify(r?.outcome)}, not one of ${OUTCOMES.join(", ")}`,
      );
    }
  });
  return parsed as Report;
}

/** The verdict on an exported report's results.json text: the same as a failing test run's. */
export function judgeReportJson(json: string): string {
  const report = parseReportJson(json);
  if (report.incomplete) throw new ChecksFailedError(`the report is incomplete: ${report.incomplete}`);
  assertPassed(report.results);
  return `all checks passed: ${summaryLine(summarize(report.results))}`;
}

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}
