// What a run checks, decided before anything is built: which entries of the registry apply to a
// target (the others are reported "not applicable: why"), and the lint's verdict on its output.
import test from "ava";
import { judgeLint, lintItems } from "../ci/src/render/script-lint.js";
import { renderTree } from "../ci/src/render/tree.js";
import { fullSiblingOf } from "../ci/src/spec/select.js";
import { IMAGE_CHECKS, sampleAppCheck } from "../ci/src/verify/engine/checks.js";
import { planEntries, selectApps } from "../ci/src/verify/plan.js";
import { project } from "./helpers/project.js";

const loaded = await project();
const { spec, renderer, apps } = loaded;
const why = (planned: { entry: { name: string }; notApplicable?: string }[], name: string) => planned.find((p) => p.entry.name === name)!.notApplicable;

test("image checks: the CA check needs --extra-ca; the fix-permissions checks need our copy of the script (not the full RPM images')", (t) => {
  const deb = spec.targets.find((x) => x.distro.family === "deb" && x.version.minimal)!;
  const fullRpm = spec.targets.find((x) => x.distro.family === "rpm" && !x.version.minimal)!;
  t.is(why(planEntries(IMAGE_CHECKS, { project: loaded, target: deb, extraCa: false }), "no extra CA in the image"), "no --extra-ca was given");
  const withCa = planEntries(IMAGE_CHECKS, { project: loaded, target: deb, extraCa: true });
  t.deepEqual(
    withCa.filter((p) => p.notApplicable !== undefined),
    [],
    "every image check applies to a Debian minimal image with --extra-ca",
  );
  const rpm = planEntries(IMAGE_CHECKS, { project: loaded, target: fullRpm, extraCa: true });
  t.regex(why(rpm, "fix-permissions as uid 12345: only its own files")!, /gives .* no root\/usr\/bin\/fix-permissions \(its base image brings its own\)$/);
  t.is(why(rpm, "generate_container_user: a passwd entry for uid 12345 only"), undefined);
  t.is(new Set(IMAGE_CHECKS.map((c) => c.name)).size, IMAGE_CHECKS.length, "one name per check");
});

test("sample apps: an app applies to the image kinds its row names, and the mod_wsgi flow only where the matrix has the full sibling", (t) => {
  for (const target of spec.targets) {
    const planned = planEntries(apps.map(sampleAppCheck), { project: loaded, target, extraCa: false });
    for (const [i, p] of planned.entries()) {
      const app = apps[i];
      const kind = target.version.minimal ? "minimal" : "full";
      const expected = !app.images.includes(kind) || (app.flow === "mod-wsgi-multistage" && !fullSiblingOf(spec, target));
      t.is(p.notApplicable !== undefined, expected, `${app.name} on ${target.version.key} on ${target.distro.id}: ${p.notApplicable}`);
    }
  }
  const orphan = spec.targets.find((x) => x.version.minimal && !fullSiblingOf(spec, x))!;
  const wsgi = apps.find((a) => a.flow === "mod-wsgi-multistage")!;
  t.regex(sampleAppCheck(wsgi).appliesTo({ project: loaded, target: orphan, extraCa: false })!, /^needs the full image .* which the matrix does not build$/);
  t.deepEqual(
    selectApps(apps, { smoke: true }).map((a) => a.name),
    apps.filter((a) => a.smoke).map((a) => a.name),
  );
});

test("the lint's verdict: a summary when every script passed; each finding under the rendered paths of its script; an unfinished run fails", (t) => {
  const items = lintItems(
    renderTree(
      renderer,
      spec.targets.filter((x) => x.version.key === "3.11-minimal"),
    ),
  );
  t.true(items.length > 5);
  t.regex(judgeLint(items, `@@done ${items.length}\n`), new RegExp(`^lint: \\d+ rendered scripts \\(${items.length} distinct\\) pass`));
  const i = items.findIndex((it) => it.paths.some((p) => p.endsWith("fix-permissions")));
  const e = t.throws(() => judgeLint(items, `@@fail ${i}\nIn files/${i} line 3:\nSC2086 (info)\n@@done ${items.length}\n`));
  t.is(e!.name, "ChecksFailedError");
  t.regex(
    e!.message,
    /^1 of \d+ distinct scripts have lint findings:\n3\.11-minimal\/root\/usr\/bin\/fix-permissions \(sh\):\nIn 3\.11-minimal\/root\/usr\/bin\/fix-permissions line 3:\nSC2086/,
  );
  t.throws(() => judgeLint(items, "@@done 1\n"), { message: /did not go through its/ });
});

test("--image-only plans the image checks alone, and refuses --apps or --smoke beside it", async (t) => {
  const { planTargets } = await import("../ci/src/verify/engine/test-targets.js");
  const module = { ...loaded, source: undefined as never };
  const target = spec.targets.find((x) => x.distro.family === "deb" && x.version.minimal)!;
  const plan = planTargets(module, [target], { imageOnly: true, build: {} }).get(target)!;
  t.deepEqual(plan.appChecks, []);
  t.deepEqual(
    plan.imageChecks.map((p) => p.entry.name),
    IMAGE_CHECKS.map((c) => c.name),
  );
  t.throws(() => planTargets(module, [target], { imageOnly: true, apps: ["app-home"], build: {} }), {
    name: "UsageError",
    message: /--image-only checks no sample app/,
  });
  t.throws(() => planTargets(module, [target], { imageOnly: true, smoke: true, build: {} }), { name: "UsageError" });
  t.true(planTargets(module, [target], { build: {} }).get(target)!.appChecks.length > 0, "without it, every app of the table is planned");
});
