// Every check proven able to fail: the red-test table (test/helpers/red-tests.ts), one `test` call per
// group of defects on a broken copy of the checkout (--source), narrowed to the apps the defects
// need. Red: each check the defects name fails, saying what the table says, and every other check
// that applies passes (or, when the image does not build, is reported not-run). Green: the same
// checks pass on the intact checkout, in the report debian-images.test.ts exported for this very
// checkout (or, without one, a run of the intact checkout made here).
import test from "ava";
import { rm } from "node:fs/promises";
import { IMAGE_BUILD, IMAGE_CHECKS, sampleAppCheck } from "../../ci/src/verify/engine/checks.js";
import { planEntries, selectApps } from "../../ci/src/verify/plan.js";
import type { CheckResult, Report } from "../../ci/src/verify/results.js";
import { selectOne, targetName } from "../../ci/src/spec/select.js";
import { brokenCheckout } from "../helpers/broken-checkout.js";
import { inSlot } from "../helpers/call-slots.js";
import { daggerCall, explainCall, HOST_CA, readReport, resultLine } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { project } from "../helpers/project.js";
import { RED_CALLS, RED_DISTRO, type RedCall } from "../helpers/red-tests.js";
import { reportIsCurrent } from "../helpers/source-fingerprint.js";

const loaded = await project();

test.before("a Dagger engine answers", bringUpEngine);

/** The words of a call's `test`: its image, the apps its defects need (else --image-only), the report kept. */
/** The apps a call's defects need, each once: what its `test` builds and runs, the most of its cost. */
const callApps = (call: RedCall) => [...new Set(call.defects.flatMap((d) => d.apps ?? []))];

function testWords(call: RedCall): string[] {
  const apps = callApps(call);
  const narrow = apps.length ? ["--apps", apps.join(",")] : ["--image-only"];
  const mirror = call.aptMirror ? ["--apt-mirror", call.aptMirror] : [];
  return ["test", "--version", call.version, "--distro", RED_DISTRO, "--extra-ca", HOST_CA, ...mirror, ...narrow, "--fail-on-error=false"];
}

/** The checks the call's report must hold, each with why it does not apply (undefined: it applies). */
function plannedChecks(call: RedCall) {
  const target = selectOne(loaded.spec, call.version, RED_DISTRO);
  const apps = call.defects.flatMap((d) => d.apps ?? []);
  const ctx = { project: loaded, target, extraCa: true };
  const appChecks = apps.length ? selectApps(loaded.apps, { only: apps }).map(sampleAppCheck) : [];
  return [IMAGE_BUILD, ...IMAGE_CHECKS, ...appChecks].map((entry) => ({
    name: entry.name,
    notApplicable: planEntries([entry], ctx)[0].notApplicable,
  }));
}

/** The green half: debian-images' report when it ran on this checkout (built as the call builds), else a run of the intact checkout with the call's words. */
async function greenResults(call: RedCall, i: number): Promise<{ results: CheckResult[]; from: string }> {
  const suite = `results/engine/${call.version}-${RED_DISTRO}`;
  if (!call.aptMirror && reportIsCurrent(suite)) return { results: readReport(suite).results, from: `the suite's run (${suite}/)` };
  const out = `results/engine/green-${i + 1}`;
  const r = await daggerCall([...testWords(call), "export", "--path", out], `green ${i + 1}`);
  if (r.code !== 0) throw new Error(`the intact checkout's run failed: ${explainCall(r)}`);
  return { results: readReport(out).results, from: `a run of the intact checkout (${out}/, ${r.seconds.toFixed(0)} s)` };
}

/** Why a result of the red run is not what the table and the plan say, or undefined. */
function redProblem(r: CheckResult, call: RedCall, planned: ReturnType<typeof plannedChecks>): string | undefined {
  const defect = call.defects.find((d) => r.name in d.red);
  const why = planned.find((p) => p.name === r.name)?.notApplicable;
  if (defect) {
    if (r.outcome !== "fail") return `${r.name}: ${defect.name} must turn it red`;
    if (!defect.red[r.name].test(r.got ?? "")) return `${r.name}: its failure must say ${defect.red[r.name]}`;
    return undefined;
  }
  if (why !== undefined) return r.outcome === "not-applicable" && r.reason === why ? undefined : `${r.name}: not applicable (${why})`;
  if (call.defects.some((d) => d.stopsTheRun))
    return r.outcome === "not-run" && /the image did not build/.test(r.reason ?? "") ? undefined : `${r.name}: not run`;
  return r.outcome === "pass" ? undefined : `${r.name}: no defect of this call breaks it, so it must pass`;
}

// The calls with the most apps are declared (so started) first: the slots then finish together.
for (const [i, call] of [...RED_CALLS.entries()].sort(([, a], [, b]) => callApps(b).length - callApps(a).length)) {
  const target = selectOne(loaded.spec, call.version, RED_DISTRO);
  // Calls run a few at once (inSlot): each on its own broken copy, into its own report folder.
  test(`red/green ${i + 1} on ${targetName(target)}: ${call.defects.map((d) => d.name).join("; ")}`, (t) =>
    inSlot(async () => {
      if (engineProblem()) return t.fail(engineProblem());
      const broken = await brokenCheckout(async (root) => {
        let n = 0;
        for (const d of call.defects) n += await d.edit(root);
        return n;
      });
      const out = `results/engine/red-${i + 1}`;
      const words = testWords(call);
      let report: Report;
      try {
        const red = await daggerCall(["--source", broken, ...words, "export", "--path", out], `red ${i + 1}`);
        if (red.code !== 0) return t.fail(`npm run dagger -- call --source ${broken} ${words.join(" ")}: ${explainCall(red)}`);
        t.log(`red run: ${red.seconds.toFixed(0)} s`);
        report = readReport(out);
      } finally {
        await rm(broken, { recursive: true, force: true });
      }

      const planned = plannedChecks(call);
      t.deepEqual(report.results.map((r) => r.name).sort(), planned.map((p) => p.name).sort(), "one result per planned check");
      const reds = call.defects.flatMap((d) => Object.keys(d.red));
      for (const r of report.results.filter((x) => reds.includes(x.name))) t.log(`red:   ${resultLine(r)}`);
      t.deepEqual(
        report.results.flatMap((r) => redProblem(r, call, planned) ?? []),
        [],
        `each defect turns its checks red and nothing else (report in ${out}/)`,
      );

      const green = await greenResults(call, i);
      for (const name of reds) {
        const g = green.results.find((r) => r.name === name && r.image === targetName(target));
        t.is(g?.outcome, "pass", `${name} passes on the intact checkout (${green.from})`);
      }
      t.log(`green: ${reds.length} checks pass in ${green.from}`);
    }));
}
