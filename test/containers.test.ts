// The Debian images built FOR REAL with podman from the rendered build contexts, and every
// sample-app check of specs/sample-apps.yml run against them (see test/containers/suite.ts for
// S2I_TARGETS / S2I_APPS). Results: results/<run>/results.xml, results.json, summary.md.
// Skips only when podman is missing or we are not root.
import test from "ava";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RenderedFile } from "../ci/src/render/render.js";
import { FsSource } from "../ci/src/source.js";
import { loadSampleApps } from "../ci/src/spec/load.js";
import { dockerfilePath } from "../ci/src/spec/select.js";
import type { Target } from "../ci/src/spec/types.js";
import { planChecks } from "../ci/src/verify/plan.js";
import { reportFiles, type CheckResult } from "../ci/src/verify/report.js";
import { appImageTag, checkApp, checkPythonVersion, checkUsage, imageLabel, type AppRunContext, type ImageUnderTest } from "./containers/apps.js";
import { baseSuites, buildImage, checkNoExtraCa, ensureBaseImages, extraCaBundle, localTag, type BuiltImage } from "./containers/images.js";
import { Limiter, podman, podmanUnavailable } from "./containers/podman.js";
import { probePackageIndex } from "./containers/pypi-index.js";
import { fullSibling, planFor, runName, selectContainerTargets } from "./containers/suite.js";
import { project, projectRoot } from "./helpers/project.js";

const unavailable = await podmanUnavailable();

if (unavailable) {
  console.warn(`containers.test.ts: SKIPPED: ${unavailable}`);
  test.skip(`podman image tests (skipped: ${unavailable})`, () => {});
} else {
  await defineTests();
}

async function defineTests() {
  const { spec, renderer } = await project();
  const apps = await loadSampleApps(new FsSource(projectRoot));
  const targets = selectContainerTargets(spec, process.env.S2I_TARGETS);
  const checks = planFor(targets, apps);
  const extraCa = extraCaBundle();
  const run = runName();
  const results: CheckResult[] = [];
  const started = new Date().toISOString();
  const builds = new Limiter(Number(process.env.S2I_BUILD_JOBS ?? 2));

  // Base images per suite, then each image once (a minimal target's mod_wsgi check also needs its full sibling).
  const bases = new Map<string, Promise<void>>();
  const base = (t: Target) => {
    const suite = baseSuites([t])[0];
    if (!bases.has(suite)) bases.set(suite, ensureBaseImages(projectRoot, [t]));
    return bases.get(suite)!;
  };
  // Images of one base image are built one after the other, so that they share their first
  // layers and a rebuild with no change takes every step from the cache (see buildImage).
  const suiteLocks = new Map<string, Limiter>();
  const suiteLock = (t: Target) => {
    const suite = baseSuites([t])[0];
    if (!suiteLocks.has(suite)) suiteLocks.set(suite, new Limiter(1));
    return suiteLocks.get(suite)!;
  };
  const images = new Map<string, Promise<BuiltImage>>();
  const image = (t: Target): Promise<BuiltImage> => {
    const key = localTag(t);
    if (!images.has(key)) images.set(key, base(t).then(() => suiteLock(t).use(() => builds.use(() => buildImage(renderer, t, { extraCa, readmeTag: true })))));
    return images.get(key)!;
  };
  const underTest = async (t: Target, needFull: boolean): Promise<ImageUnderTest> => {
    const built = await image(t);
    const sib = needFull ? fullSibling(spec, t) : undefined;
    return { target: t, tag: built.tag, fullTag: sib ? (await image(sib)).tag : undefined };
  };

  let index: Awaited<ReturnType<typeof probePackageIndex>> | undefined;
  let indexUrl: Promise<string> | undefined;
  const ctx: AppRunContext = {
    root: projectRoot,
    renderer,
    extraCa,
    builds,
    runs: new Limiter(3),
    pypiIndexUrl: () =>
      (indexUrl ??= probePackageIndex(projectRoot, extraCa).then((i) => {
        index = i;
        return i.url;
      })),
  };

  const record = (r: CheckResult) => {
    results.push(r);
    return r;
  };
  const explain = (r: CheckResult) =>
    [`${r.name} on ${r.image}: FAILED`, `expected: ${r.expected ?? ""}`, `got: ${r.got ?? ""}`, r.logTail ? `log tail:\n${r.logTail}` : ""].filter(Boolean).join("\n");

  for (const t of targets) {
    const label = imageLabel(t);
    test(`${label}: the image builds from ${dockerfilePath(t)}`, async (tt) => {
      const t0 = performance.now();
      try {
        const b = await image(t);
        tt.log(`${b.tag} built in ${b.seconds.toFixed(1)} s`);
        record({ name: "image build", image: label, outcome: "pass", seconds: b.seconds });
        tt.pass();
      } catch (e) {
        const r = record({ name: "image build", image: label, outcome: "fail", seconds: (performance.now() - t0) / 1000, expected: "podman build succeeds", got: (e as Error).message });
        tt.fail(explain(r));
      }
    });
    test(`${label}: python --version`, async (tt) => {
      const r = record(await checkPythonVersion(await underTest(t, false)));
      tt.is(r.outcome, "pass", explain(r));
    });
    test(`${label}: usage exits 0`, async (tt) => {
      const r = record(await checkUsage(await underTest(t, false)));
      tt.is(r.outcome, "pass", explain(r));
    });
    if (extraCa) {
      test(`${label}: nothing of the extra CA bundle is in the image`, async (tt) => {
        const rep = await checkNoExtraCa((await image(t)).tag, extraCa);
        tt.log(`${rep.extraCerts} certificate(s) of ${extraCa} are not Debian's; none may be in the image`);
        tt.deepEqual(rep.problems, []);
      });
    }
  }

  for (const c of checks) {
    test(`${c.app.name} on ${c.image}`, async (tt) => {
      const img = await underTest(c.target, c.app.flow === "mod-wsgi-multistage");
      const r = record(await checkApp(c, img, { ...ctx, log: (l) => tt.log(l) }));
      tt.log(`${r.outcome} in ${r.seconds.toFixed(1)} s`);
      if (r.outcome === "fail") tt.fail(explain(r));
      else tt.pass();
    });
  }

  // An app image built with the extra CA as a build secret keeps nothing of it either.
  const firstMinimal = targets.find((t) => t.version.minimal);
  const appHome = apps.find((a) => a.name === "app-home");
  const selfTests = process.env.S2I_SELF_TESTS !== "0";
  if (selfTests && extraCa && firstMinimal && appHome) {
    test(`nothing of the extra CA bundle is in an app image built with it (app-home on ${imageLabel(firstMinimal)})`, async (tt) => {
      const check = planChecks(firstMinimal, [appHome])[0];
      const img = await underTest(firstMinimal, false);
      // Its own tag: the regular app-home check builds (and removes) appImageTag at the same time.
      const tag = appImageTag(appHome, img).replace(/:test$/, "-ca-check:test");
      const r = await checkApp(check, img, { ...ctx, keepImages: true }, { tag });
      tt.is(r.outcome, "pass", explain(r));
      try {
        const rep = await checkNoExtraCa(tag, extraCa);
        tt.deepEqual(rep.problems, []);
      } finally {
        await podman(["rmi", "-f", tag], { allowFailure: true });
      }
    });
  }

  // The tests can fail: a broken run script, and an image without the en_US.UTF-8 locale.
  const minimal311 = targets.find((t) => t.version.key === "3.11-minimal" && t.distro.id === "debian12") ?? firstMinimal;
  if (selfTests && minimal311) {
    const label = imageLabel(minimal311);
    const replaceFile = (files: RenderedFile[], path: string, edit: (s: string) => string): RenderedFile[] => {
      const f = files.find((x) => x.path === path);
      if (!f) throw new Error(`no ${path} in the rendered context`);
      const content = edit(f.content);
      if (content === f.content) throw new Error(`the edit of ${path} changed nothing`);
      return files.map((x) => (x === f ? { ...x, content } : x));
    };
    const negative = (title: string, variant: string, appName: string, edit: (files: RenderedFile[]) => RenderedFile[]) =>
      test(`self-test: ${title} makes ${appName} on ${label} fail`, async (tt) => {
        const app = apps.find((a) => a.name === appName);
        if (!app) return tt.fail(`no app ${appName} in specs/sample-apps.yml`);
        await base(minimal311);
        const files = edit(renderer.buildContext(minimal311));
        const built = await suiteLock(minimal311).use(() => builds.use(() => buildImage(renderer, minimal311, { files, variant, extraCa })));
        try {
          const check = { ...planChecks(minimal311, [app])[0], image: `${label} (${title})` };
          const r = await checkApp(check, { target: minimal311, tag: built.tag }, { ...ctx, probeSeconds: 15 });
          tt.log(`the ${appName} check said: ${r.got ?? "pass"}`);
          record({ name: `self-test: ${title}`, image: label, outcome: r.outcome === "fail" ? "pass" : "fail", seconds: built.seconds + r.seconds, expected: `the ${appName} check fails`, got: r.outcome === "fail" ? r.got : "it passed" });
          tt.is(r.outcome, "fail", `with ${title}, the ${appName} check must fail, but it passed`);
        } finally {
          await podman(["rmi", "-f", built.tag], { allowFailure: true });
        }
      });
    const key = minimal311.version.key;
    negative("a run script that exits 1", "broken-run", "app-home", (files) => replaceFile(files, `${key}/s2i/bin/run`, () => "#!/bin/bash\nexit 1\n"));
    negative("no localedef in the Dockerfile", "no-locale", "locale", (files) =>
      replaceFile(files, dockerfilePath(minimal311), (s) => s.replace(/localedef\b[^&\n]*/, "true ")),
    );
  }

  test.after.always("write results/<run>/", async () => {
    await index?.cleanup();
    if (!results.length) return;
    const dir = join(projectRoot, "results", run);
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(reportFiles({ started, results }))) await writeFile(join(dir, name), text);
    console.log(`containers.test.ts: ${results.length} results written to results/${run}/ (summary.md, results.xml, results.json)`);
  });
}
