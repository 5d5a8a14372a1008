// The Debian images, built and proven for real by the module's own `test` function on a
// Dagger engine, through `npm run dagger -- call test ...`: every sample-app check of
// specs/sample-apps.yml on the debian12 pair, the smoke set on the other Debian pairs.
import test from "ava";
import { IMAGE_CHECKS, planChecks } from "../../ci/src/verify/plan.js";
import { IMAGE_BUILD } from "../../ci/src/dagger/verify.js";
import { LIBRARY_CHECKS } from "../../ci/src/dagger/library-checks.js";
import { targetName } from "../../ci/src/matrix/select.js";
import { loadSampleApps } from "../../ci/src/verify/apps.js";
import { FsSource } from "../../ci/src/source.js";
import { daggerCall, explainCall, HOST_CA, readReport, resultLine } from "../helpers/dagger-call.js";
import { project, projectRoot } from "../helpers/project.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";

/** The distros whose images get every app; the others get the smoke set. */
const FULL_SET_DISTROS = ["debian12"];

const { spec } = await project();
const apps = await loadSampleApps(new FsSource(projectRoot));
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
    // The report covers the plan: every image check (with --extra-ca, all of them apply) and every
    // app the table applies to, none skipped.
    const want = [IMAGE_BUILD, ...Object.values(IMAGE_CHECKS), ...LIBRARY_CHECKS.map((c) => c.name), ...planChecks(t, apps, { smoke }).map((c) => c.app.name)];
    tt.deepEqual(report.results.map((x) => x.name).sort(), [...want].sort(), "one result per planned check");
    const bad = report.results.filter((x) => x.outcome !== "pass");
    tt.deepEqual(bad.map(resultLine), [], `every check passes (report in ${out}/)`);
  });
}
