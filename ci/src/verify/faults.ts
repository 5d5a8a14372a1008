/**
 * Faults of the engine, told apart from results of the image: an error that says the engine
 * itself could not go on (its build backend or a session broke; not a failed command), or a full
 * disk, which is the engine's whatever step hit it (every container's files live on it). A
 * check hit by one did not run; the checks after it are not run either, and the run ends saying
 * so instead of blaming the apps.
 */
import { EngineLostError } from "../errors.js";
import { failureOutput } from "./error-text.js";
import type { CheckResult, Report } from "./results.js";

const DISK_FULL = /no space left on device/i;
const ENGINE_FAULT =
  /rpc error: code = (?:Unavailable|Internal|ResourceExhausted)|transport is closing|connection reset by peer|session [\w-]* ?not found|buildkit[^\n]*(?:closed|unavailable)/i;

/** How a check hit by an engine fault is reported: its not-run reason starts with this. */
export const FAULT_PREFIX = "the engine failed: ";

/** The engine fault an error reports, in one line, or undefined (a failed command is the image's, unless the disk was full). */
export function engineFaultOf(e: unknown): string | undefined {
  const text = failureOutput(e);
  const command = e instanceof Error && typeof (e as { exitCode?: unknown }).exitCode === "number";
  const m = DISK_FULL.exec(text) ?? (command ? null : ENGINE_FAULT.exec(text));
  if (!m) return undefined;
  const line = text.split("\n").find((l) => l.includes(m[0])) ?? m[0];
  return line.trim().slice(0, 300);
}

/** The first engine fault a run's results record, or undefined. */
export function faultOf(results: CheckResult[]): string | undefined {
  const hit = results.find((r) => r.outcome === "not-run" && r.reason?.startsWith(FAULT_PREFIX));
  return hit?.reason!.slice(FAULT_PREFIX.length);
}

/** The one line a run cut short by the engine ends with. */
export function faultLine(results: CheckResult[], fault: string): string {
  const ran = results.filter((r) => r.outcome === "pass" || r.outcome === "fail").length;
  const applicable = results.filter((r) => r.outcome !== "not-applicable").length;
  return `the Dagger engine failed after ${ran} of ${applicable} checks: ${fault}; the others did not run; nothing was published; rerun when the engine is sound`;
}

/**
 * The report of a run, or the fault that cut it short: a run hit by an engine fault stops with
 * its one line (EngineLostError) when the caller wants a verdict, and otherwise is returned
 * marked incomplete, so that check-report and publish refuse it.
 */
export function runReport(started: string, results: CheckResult[], failOnError: boolean, images?: Report["images"]): Report {
  const fault = faultOf(results);
  if (fault && failOnError) throw new EngineLostError(faultLine(results, fault));
  const report: Report = fault ? { started, results, incomplete: faultLine(results, fault) } : { started, results };
  return images?.length ? { ...report, images } : report;
}
