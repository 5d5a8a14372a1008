/**
 * How a sample-app check is judged, from what running the app showed (AppObservation): the
 * table's expectations (specs/sample-apps.yml) against the build, each run's HTTP answer, the
 * shells exec'd into the app's container and each stop on SIGTERM. Pure:
 * verify/engine/app-run.ts observes.
 */
import type { SampleApp } from "../spec/sample-apps.js";
import type { Target } from "../spec/types.js";
import { judgeArtifactMembers, judgeRebuildLog } from "./incremental-judges.js";
import type { ProbeOutcome, ProbeResponse } from "./probe-script.js";
import { PASS, type Verdict } from "./results.js";
import { shellProblems, type ShellsObservation } from "./shell-probes.js";
import type { StopOutcome } from "./stop-harness.js";
import { unreachableIndex } from "./network.js";
import { clip, tail } from "./text.js";

/** What running one sample app showed, phase by phase; the first phase that failed is the last one observed. */
export interface AppObservation {
  /** The table expects the build to fail: assemble's exit code (0: it succeeded) and output. */
  expectedFailure?: { exitCode?: number; output: string };
  /** The caller's Dockerfile has no FROM (test-dockerfiles). */
  noFrom?: boolean;
  /** The application image did not build: the error's first line and its text. */
  buildError?: { line: string; text: string; retried?: boolean };
  /** The s2i-incremental flow: the members of save-artifacts' archive (tar -tf) and the rebuild's assemble output. */
  incremental?: { members: string[]; rebuildLog: string };
  /** What of the extra CA bundle the application image kept, if anything. */
  caLeft?: string;
  /** Each run variant's probe. */
  probes?: { variant: string; outcome: ProbeOutcome }[];
  /** The log of the first failing run variant, started again. */
  logTail?: string;
  /** Shells exec'd into the app's container (bash -c, sh -ic, sh -c), and the app's variables they must see. */
  shells?: ShellsObservation;
  /** The stop check: the limit (the table's, stretched on an emulated platform), the grace period, each way of starting the app, stopped. */
  stops?: { limit: number; grace: number; runs: { variant: string; outcome: StopOutcome }[] };
}

/** Compares a response with the table's expectation; returns why it fails, or undefined when it passes. */
export function judgeResponse(app: SampleApp, got: ProbeResponse | undefined): string | undefined {
  if (!got) return `no HTTP answer on port ${app.port}${app.path}`;
  if (got.status !== app.status) return `expected HTTP ${app.status}, got ${got.status}`;
  if (!got.body.includes(app.body)) return `expected the body to contain ${JSON.stringify(app.body)}, got ${JSON.stringify(clip(got.body, 300))}`;
  return undefined;
}

/** Judges a build that the table expects to fail: assemble's own exit code and message. */
export function judgeExpectedFailure(app: SampleApp, exitCode: number | undefined, output: string): string | undefined {
  const want = app.buildFailure!;
  if (exitCode === 0) return `expected the build to fail with exit ${want.exitCode}, but it succeeded`;
  if (exitCode !== want.exitCode) return `expected assemble to exit ${want.exitCode}, the build ended with ${exitCode ?? "no exit code"}`;
  if (!output.includes(want.message)) return `expected the build output to contain ${JSON.stringify(want.message)}`;
  return undefined;
}

/** The run variants whose probe failed, as "variant: why", sorted. */
export function probeFailures(app: SampleApp, probes: { variant: string; outcome: ProbeOutcome }[]): string[] {
  return probes
    .map((p) => ({ variant: p.variant, why: p.outcome.error ?? judgeResponse(app, p.outcome.response) }))
    .filter((p) => p.why)
    .map((p) => `${p.variant}: ${p.why}`)
    .sort();
}

/** Exit statuses of a clean stop: 0, or the server ending on the SIGTERM it was sent (128 + 15). */
const CLEAN = [0, 143];

/** Why a stop was not clean, or undefined: it must end by itself on SIGTERM, with a clean status, within `limit` seconds. */
export function judgeStop(o: StopOutcome, limit: number): string | undefined {
  if (o.error) return o.error;
  if (o.killed) return `still running ${o.grace} s after SIGTERM, killed (PID 1: ${o.pid1})`;
  if (!CLEAN.includes(o.status!)) return `exited with status ${o.status} after SIGTERM (PID 1: ${o.pid1})`;
  if (o.seconds! > limit) return `stopped in ${o.seconds} s, over the limit of ${limit} s (status ${o.status}, PID 1: ${o.pid1})`;
  return undefined;
}

/** How many times a clean but slow stop is timed at most, the first included. */
export const STOP_TRIES = 3;

/**
 * Whether a stop is timed once more: only one that was clean but over the limit, and at most
 * STOP_TRIES times in all. A loaded machine slows every stop down (a gunicorn took 5-10 s at
 * load 10-17 on 2 cores, under 2 s otherwise), while a server that ignores SIGTERM or exits
 * badly fails every try just the same. The last try is judged.
 */
export function retimeStop(o: StopOutcome, limit: number): boolean {
  return !o.error && !o.killed && CLEAN.includes(o.status!) && (o.earlier?.length ?? 0) + 1 < STOP_TRIES && o.seconds! > limit;
}

/** One line per way the app was stopped: how long it took and its status, or why the stop was not clean. */
export function stopLines(runs: { variant: string; outcome: StopOutcome }[], limit: number): { why?: string; text: string }[] {
  return runs.map(({ variant, outcome: o }) => {
    const why = judgeStop(o, limit);
    const again = o.earlier?.length ? ` (timed ${o.earlier.length + 1} times: before, it took ${o.earlier.map((s) => `${s} s`).join(", ")})` : "";
    return { why, text: `${variant}: ${why ?? `stopped in ${o.seconds} s, status ${o.status}`}${again}` };
  });
}

/** Why an s2i-incremental build did not work as the flow says, or undefined. */
export function judgeIncremental(o: AppObservation["incremental"]): string | undefined {
  if (!o) return "the incremental build was not observed";
  return judgeArtifactMembers(o.members) ?? judgeRebuildLog(o.rebuildLog);
}

/** The verdict on one sample app on a target: the first phase that failed, or a pass that says how the app stopped. */
export function judgeApp(app: SampleApp, o: AppObservation, t: Target): Verdict {
  if (o.expectedFailure) {
    const { exitCode, output } = o.expectedFailure;
    const why = judgeExpectedFailure(app, exitCode, output);
    const want = app.buildFailure!;
    return why ? { outcome: "fail", expected: `assemble exits ${want.exitCode} with ${JSON.stringify(want.message)}`, got: why, logTail: tail(output) } : PASS;
  }
  if (o.noFrom) return { outcome: "fail", expected: "a Dockerfile with a FROM", got: "no FROM in the context's Dockerfile" };
  if (o.buildError) {
    const got = unreachableIndex(o.buildError.text) ?? o.buildError.line;
    return {
      outcome: "fail",
      expected: "the application builds",
      got: o.buildError.retried ? `${got} (after one retry)` : got,
      logTail: tail(o.buildError.text),
    };
  }
  const incremental = app.flow === "s2i-incremental" ? judgeIncremental(o.incremental) : undefined;
  if (incremental) return { outcome: "fail", expected: "an incremental build that takes the download caches save-artifacts handed over", got: incremental };
  if (o.caLeft) return { outcome: "fail", expected: "nothing of the extra CA bundle in the application image", got: o.caLeft };
  const failures = probeFailures(app, o.probes ?? []);
  if (failures.length) {
    return {
      outcome: "fail",
      expected: `HTTP ${app.status} on :${app.port}${app.path} with a body containing ${JSON.stringify(app.body)}`,
      got: failures.join("; "),
      logTail: o.logTail,
    };
  }
  if (!o.probes?.length) return { outcome: "fail", expected: "the app is run and probed", got: "no run variant was probed" };
  if (!o.shells?.runs.length) return { outcome: "fail", expected: "shells are exec'd into the running app", got: "no shell was exec'd" };
  const shells = shellProblems(o.shells, t.version.version);
  if (shells.length) {
    return {
      outcome: "fail",
      expected: `bash -c, sh -ic and sh -c in the app's container find the image's python and pip (Python ${t.version.version}) and the app's variables`,
      got: shells.join("; "),
    };
  }
  if (!o.stops?.runs.length) return { outcome: "fail", expected: "the app is stopped with SIGTERM", got: "no stop was observed" };
  const lines = stopLines(o.stops.runs, o.stops.limit);
  const bad = lines.filter((l) => l.why);
  if (bad.length) {
    return {
      outcome: "fail",
      expected: `the app stops on SIGTERM within ${o.stops.limit} s with status 0 (or 143)${app.stop ? ", however it is started" : ", started by the shell-form CMD s2i writes"}`,
      got: bad.map((l) => l.text).join("; "),
    };
  }
  return { outcome: "pass", observed: `stopped on SIGTERM: ${lines.map((l) => l.text).join("; ")}` };
}
