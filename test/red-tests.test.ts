// The red-test table (test/helpers/red-tests.ts) against the registry: every check of the report has
// a defect that turns it red, so a check added later fails here until it comes with its own; the
// table names only checks that exist and apply to its image, its calls are sound, and every edit
// still changes the checkout it is meant for. test/engine/red-green.test.ts runs the table.
import test from "ava";
import { rm } from "node:fs/promises";
import { loadProject } from "../ci/src/project.js";
import { FsSource } from "../ci/src/spec/source.js";
import { IMAGE_BUILD, IMAGE_CHECKS, sampleAppCheck } from "../ci/src/verify/engine/checks.js";
import { planEntries } from "../ci/src/verify/plan.js";
import { selectOne } from "../ci/src/spec/select.js";
import { brokenCheckout } from "./helpers/broken-checkout.js";
import { project } from "./helpers/project.js";
import { RED_CALLS, RED_DISTRO } from "./helpers/red-tests.js";

const loaded = await project();

/** Every check of the report, from the registry: the image build, the image checks, one per row of the sample-app table. */
const registry = [IMAGE_BUILD, ...IMAGE_CHECKS, ...loaded.apps.map(sampleAppCheck)];

test("every check of the registry has a red test, and the table names no check the registry lacks", (t) => {
  const reddened = new Set(RED_CALLS.flatMap((c) => c.defects.flatMap((d) => Object.keys(d.red))));
  const names = registry.map((c) => c.name);
  t.deepEqual(
    names.filter((n) => !reddened.has(n)),
    [],
    "these checks have no defect that turns them red (add one to test/helpers/red-tests.ts)",
  );
  t.deepEqual(
    [...reddened].filter((n) => !names.includes(n)),
    [],
  );
  t.is(new Set(names).size, names.length, "one name per check");
});

test("each call: its red checks apply to its image, its defects break disjoint checks, a stop of the run stands alone", (t) => {
  for (const [i, call] of RED_CALLS.entries()) {
    const target = selectOne(loaded.spec, call.version, RED_DISTRO);
    const planned = planEntries(registry, { project: loaded, target, extraCa: true });
    const apps = new Set(call.defects.flatMap((d) => d.apps ?? []));
    const seen = new Set<string>();
    for (const d of call.defects) {
      for (const name of Object.keys(d.red)) {
        const p = planned.find((x) => x.entry.name === name)!;
        t.is(p.notApplicable, undefined, `call ${i}, ${d.name}: ${name} applies to ${call.version}`);
        t.false(seen.has(name), `call ${i}: ${name} is turned red by one defect only`);
        seen.add(name);
        if (loaded.apps.some((a) => a.name === name)) t.true(apps.has(name), `call ${i}: the app ${name} is one the call runs`);
      }
      if (d.stopsTheRun) t.is(call.defects.length, 1, `call ${i}: ${d.name} stops the run, so it has its call to itself`);
    }
  }
});

test("every edit still changes the checkout, and the broken copy still loads: the defects of each call applied together", async (t) => {
  for (const [i, call] of RED_CALLS.entries()) {
    const changed: number[] = [];
    const root = await brokenCheckout(async (dir) => {
      for (const d of call.defects) changed.push(await d.edit(dir));
      return changed.reduce((a, b) => a + b, 0);
    });
    try {
      t.true(
        changed.every((n) => n > 0),
        `call ${i}`,
      );
      const broken = await loadProject(new FsSource(root));
      const files = broken.renderer.renderTarget(selectOne(broken.spec, call.version, RED_DISTRO));
      t.true(files.length > 0, `call ${i}: the broken copy renders ${call.version}`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
});
