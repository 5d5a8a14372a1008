import type { SampleApp } from "./apps.js";

/** What came back from probing a running app. */
export interface ProbeResponse {
  status: number;
  body: string;
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

/** Judges `python --version` output against the image's Python version. */
export function judgePythonVersion(version: string, output: string): string | undefined {
  return output.includes(`Python ${version}.`) ? undefined : `expected "Python ${version}.x", got ${JSON.stringify(clip(output.trim(), 200))}`;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** The last lines of a log, for a failure report. */
export function tail(text: string, lines = 25): string {
  return text.split("\n").slice(-lines).join("\n");
}
