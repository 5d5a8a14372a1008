// The Debian images, built and proven for real by the module's own `test` function on a
// Dagger engine, through `npm run dagger -- call test ...`: every sample-app check of
// specs/sample-apps.yml on the debian12 pair, the smoke set on the other Debian pairs.
import test from "ava";
import { IMAGE_BUILD, IMAGE_CHECKS, sampleAppCheck } from "../../ci/src/verify/engine/checks.js";
import { planEntries, selectApps } from "../../ci/src/verify/plan.js";
import { targetName } from "../../ci/src/spec/select.js";
import { daggerCall, explainCall, HOST_CA, readReport, resultLine } from "../helpers/dagger-call.js";
import { project } from "../helpers/project.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";

/** The distros whose images get every app; the others get the smoke set. */
const FULL_SET_DISTROS = ["debian12"];

const loaded = await project();
const { spec } = loaded;
const debian = spec.targets.filter((t) => t.distro.family === "deb");

test.before("a Dagger engine answers (the local one is brought up, built if need be)", bringUpEngine);

for (const t of debian) {
  const smoke = !FULL_SET_DISTROS.includes(t.distro.id);
  test.serial(`${targetName(t)}: ${smoke ? "the smoke set" : "every sample app"}, by the module on the engine`, async (tt) => {
    if (engineProblem()) return tt.fail(engineProblem());
    const out = `results/engine/${t.version.key}-${t.distro.id}`;
    const words = ["test", "--version", t.version.key, "--distro", t.distro.id, "--extra-ca", HOST_CA, "--fail-on-error=false"];
    if (smoke) words.push("--smoke");
    const r = await daggerCall([...words, "export", "--path", out], targetName(t));
    if (r.code !== 0) return tt.fail(`npm run dagger -- call ${words.join(" ")} failed: ${explainCall(r)}`);

    const report = readReport(out);
    for (const res of report.results) tt.log(resultLine(res));
    // The report covers the plan, from the registry itself: every image check and every app of the
    // selection, each passing where it applies (with --extra-ca, the CA check does) and reported
    // not-applicable with the plan's reason where it does not.
    const ctx = { project: loaded, target: t, extraCa: true };
    const planned = [...planEntries(IMAGE_CHECKS, ctx), ...planEntries(selectApps(loaded.apps, { smoke }).map(sampleAppCheck), ctx)];
    tt.deepEqual(report.results.map((x) => x.name).sort(), [IMAGE_BUILD.name, ...planned.map((c) => c.entry.name)].sort(), "one result per planned check");
    tt.true(planned.some((c) => c.notApplicable === undefined));
    const wrong = report.results.filter((x) => {
      const why = planned.find((c) => c.entry.name === x.name)?.notApplicable;
      return why === undefined ? x.outcome !== "pass" : x.outcome !== "not-applicable" || x.reason !== why;
    });
    tt.deepEqual(wrong.map(resultLine), [], `every applicable check passes, every other is not applicable, with the plan's reason (report in ${out}/)`);
  });
}
