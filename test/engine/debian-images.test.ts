// The Debian images, built and proven for real by the module's own `test` function on a
// Dagger engine, through `npm run dagger -- call test ...`: every sample-app check of
// specs/sample-apps.yml on the debian12 pair, the smoke set on the other Debian pairs (the
// GitHub workflow test runs 3.11-minimal on debian12, with every app).
import test from "ava";
import { targetName } from "../../ci/src/spec/select.js";
import { daggerCall, explainCall, HOST_CA, readReport } from "../helpers/dagger-call.js";
import { assertReportCoversPlan, WORKFLOW_TARGET } from "../helpers/report-plan.js";
import { project } from "../helpers/project.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { inSlot } from "../helpers/call-slots.js";
import { markReport, sourceFingerprint } from "../helpers/source-fingerprint.js";

/** The distros whose images get every app; the others get the smoke set. */
const FULL_SET_DISTROS = ["debian12"];

const loaded = await project();
const { spec } = loaded;
const debian = spec.targets.filter((t) => t.distro.family === "deb");

test.before("a Dagger engine answers (the local one is brought up, built if need be)", bringUpEngine);

// The GitHub workflow test proves its target with every app (test/engine/github-workflow.test.ts).
const covered = (t: (typeof debian)[number]) => t.version.key === WORKFLOW_TARGET.version && t.distro.id === WORKFLOW_TARGET.distro;

for (const t of debian.filter((t) => !covered(t))) {
  const smoke = !FULL_SET_DISTROS.includes(t.distro.id);
  // The targets run a few at once (inSlot), each into its own report folder.
  test(`${targetName(t)}: ${smoke ? "the smoke set" : "every sample app"}, by the module on the engine`, (tt) =>
    inSlot(async () => {
      if (engineProblem()) return tt.fail(engineProblem());
      const out = `results/engine/${t.version.key}-${t.distro.id}`;
      const words = ["test", "--version", t.version.key, "--distro", t.distro.id, "--extra-ca", HOST_CA, "--fail-on-error=false"];
      if (smoke) words.push("--smoke");
      const fingerprint = sourceFingerprint();
      const r = await daggerCall([...words, "export", "--path", out], targetName(t));
      if (r.code !== 0) return tt.fail(`npm run dagger -- call ${words.join(" ")} failed: ${explainCall(r)}`);
      // The red/green tests take this report as the green half of their red tests on this checkout.
      markReport(out, fingerprint);

      await assertReportCoversPlan(tt, readReport(out), t, smoke, `${out}/`);
    }));
}
