/**
 * A passing `test` report of 3.11-minimal on debian12, for the publishes that take it with
 * --report instead of checking the image again: the GitHub workflow test's report (every app)
 * when it ran on this very checkout with the same build words, else one `test --smoke` run made
 * here and kept for the other files of the suite. Publish itself decides whether the report
 * vouches for what it pushes (the same build, every planned check passed).
 */
import type { ExecutionContext } from "ava";
import { daggerCall, explainCall, HOST_CA, notPassed, readReport, resultLine } from "./dagger-call.js";
import { WORKFLOW_TARGET } from "./report-plan.js";
import { markReport, reportIsCurrent, sourceFingerprint } from "./source-fingerprint.js";

/**
 * The folder (relative to the checkout) of a passing report of WORKFLOW_TARGET built with
 * `buildWords` (e.g. --source-date-epoch N). `fresh`: made now, not taken from an earlier file's
 * run; for a file that runs after the engine was restarted (the fault tests): a restart that
 * was not clean wipes the engine's cache, the image is built again, and should any file of it
 * differ, publish refuses a report of the earlier build (it did not differ on 2026-12-04).
 */
export async function testedReport(t: ExecutionContext, buildWords: string[] = [], fresh = false): Promise<string> {
  const { version, distro } = WORKFLOW_TARGET;
  const fingerprint = sourceFingerprint();
  const workflows = `results/engine/${version}-${distro}`;
  if (!fresh && !buildWords.length && reportIsCurrent(workflows, fingerprint) && !notPassed(readReport(workflows).results).length) {
    t.log(`the report publish takes: ${workflows}/ (the workflow test's run of this checkout)`);
    return workflows;
  }
  const out = `results/engine/tested-smoke${buildWords.join("").replace(/\W+/g, "-")}${fresh ? "-fresh" : ""}`;
  if (!fresh && reportIsCurrent(out, fingerprint)) return out;
  const words = ["test", "--version", version, "--distro", distro, "--smoke", "--extra-ca", HOST_CA, ...buildWords, "--fail-on-error=false"];
  const r = await daggerCall([...words, "export", "--path", out], "tested report");
  if (r.code !== 0) throw new Error(`npm run dagger -- call ${words.join(" ")} failed: ${explainCall(r)}`);
  const bad = notPassed(readReport(out).results);
  if (bad.length) throw new Error(`the report publish is to take did not pass:\n${bad.map(resultLine).join("\n")}`);
  markReport(out, fingerprint);
  t.log(`the report publish takes: ${out}/ (made here in ${r.seconds.toFixed(0)} s)`);
  return out;
}
