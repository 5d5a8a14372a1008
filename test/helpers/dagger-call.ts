/**
 * Runs `npm run dagger -- call ...`, the README's own words, as a user would, and reads the
 * report a `test` call exported. Engine-backed tests use nothing else to reach an image:
 * every container check runs through the module's functions on a real engine.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCEPTED, OUTCOME_WORDS, parseReportJson, type CheckResult, type Report } from "../../ci/src/verify/results.js";
import { projectRoot } from "./project.js";

export interface CallResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** The host's CA bundle: PyPI and npm are reached through a TLS-inspecting proxy here. */
export const HOST_CA = "/etc/ssl/certs/ca-certificates.crt";

/**
 * `npm run dagger -- call <words>`; its progress lines (stderr) are passed through live,
 * prefixed with `label`, so a long run shows what it is doing, and handed to `onLine` (the
 * fault tests act on them).
 */
export function daggerCall(words: string[], label = words[0], onLine?: (line: string) => void, env?: Record<string, string>): Promise<CallResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "dagger", "--", "call", ...words], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      // The module's own progress lines name their image already.
      for (const l of lines) {
        process.stderr.write(l.startsWith("[") && !l.startsWith("[dagger]") ? `  ${l}\n` : `  [${label}] ${l}\n`);
        onLine?.(l);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

/** A call's outcome in one block, for an assertion message. */
export function explainCall(r: CallResult): string {
  return `exit ${r.code} after ${r.seconds.toFixed(0)} s\n--- stdout ---\n${r.stdout.slice(-3000)}\n--- stderr (last lines) ---\n${r.stderr.split("\n").slice(-30).join("\n")}`;
}

/** The report a call exported: its results.json, read as check-report reads it (every outcome one of the four). */
export function readReport(dir: string): Report {
  return parseReportJson(readFileSync(join(projectRoot, dir, "results.json"), "utf8"));
}

/** One line of a check's result, as the tests print them. */
export function resultLine(r: CheckResult): string {
  const why = r.outcome === "fail" ? `: expected ${r.expected}; got ${r.got}` : r.reason ? `: ${r.reason}` : r.observed ? `: ${r.observed}` : "";
  return `${OUTCOME_WORDS[r.outcome].toUpperCase()} ${r.name} on ${r.image} (${r.seconds.toFixed(1)} s)${why}`;
}

/** The results that neither passed nor are not applicable to the image: failed, or not run. */
export function notPassed(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => !ACCEPTED.includes(r.outcome));
}
