import { dag, type Directory } from "@dagger.io/dagger";
import { ChecksFailedError } from "../errors.js";
import { passed, reportFiles, summarize, type CheckResult, type Report } from "../verify/report.js";

/** The report as a Directory: results.xml (JUnit), results.json, summary.md. */
export function reportDirectory(report: Report): Directory {
  let dir = dag.directory();
  for (const [name, content] of Object.entries(reportFiles(report))) dir = dir.withNewFile(name, content);
  return dir;
}

/** The failure message of a set of results, or undefined when they all passed. */
export function failureMessage(results: CheckResult[]): string | undefined {
  if (passed(results)) return undefined;
  if (results.length === 0) return "no check ran";
  const s = summarize(results);
  const lines = results
    .filter((r) => r.outcome === "fail")
    .map((r) => `- ${r.name} on ${r.image}: expected ${r.expected ?? "a pass"}; got ${r.got ?? "a failure"}${r.logTail ? `\n    log tail:\n${indent(r.logTail, "      ")}` : ""}`);
  return [`${s.failed} of ${s.total} checks failed (${s.passed} passed, ${s.skipped} skipped):`, ...lines].join("\n");
}

/** Throws ChecksFailedError when any result failed. */
export function assertPassed(results: CheckResult[]): void {
  const msg = failureMessage(results);
  if (msg) throw new ChecksFailedError(msg);
}

/** Judges a report exported earlier (its results.json): the same verdict as a failing test run. */
export async function checkReportDirectory(report: Directory): Promise<string> {
  const parsed = JSON.parse(await report.file("results.json").contents()) as Report;
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
