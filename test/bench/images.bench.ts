// Benchmark of the Debian images built with podman from the rendered build contexts:
//   npx tsx test/bench/images.bench.ts          (S2I_TARGETS restricts targets, as in the tests)
// Prints per image: size, cold build time (--no-cache), warm rebuild with no change; for each
// minimal image also the uWSGI image and the mod_wsgi multi-stage image (sizes, build, warm
// rebuild, rebuild after a change to the app's source) against the same app
// (micropipenv-requirements) built the s2i way on the full image; then the ratios vs the goals:
//   minimal <= 40% of full; mod_wsgi multi-stage <= 50% of the same app on full; warm rebuild < 10% of cold.
// Builds run one at a time (timings are not shared with another build). Tags end in -bench
// and are removed at the end unless S2I_KEEP_IMAGES=1.
import { appendFile } from "node:fs/promises";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { FsSource } from "../../ci/src/source.js";
import { loadSampleApps } from "../../ci/src/spec/load.js";
import type { SampleApp, Target } from "../../ci/src/spec/types.js";
import { planChecks } from "../../ci/src/verify/plan.js";
import { imageLabel, prepareBuild, type AppRunContext, type ImageUnderTest } from "../containers/apps.js";
import { buildImage, ensureBaseImages, extraCaBundle, podmanBuild, uncachedSteps } from "../containers/images.js";
import { imageSize, Limiter, podman, podmanUnavailable } from "../containers/podman.js";
import { fullSibling, selectContainerTargets } from "../containers/suite.js";
import { project, projectRoot } from "../helpers/project.js";

const why = await podmanUnavailable();
if (why) {
  console.error(`images.bench.ts: cannot run: ${why}`);
  process.exit(2);
}

const { spec, renderer } = await project();
const apps = await loadSampleApps(new FsSource(projectRoot));
const targets = selectContainerTargets(spec, process.env.S2I_TARGETS);
const extraCa = extraCaBundle();
const tags: string[] = [];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const s = (sec: number) => `${sec.toFixed(1)} s`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");

console.log(`images.bench: ${targets.map(imageLabel).join(", ")}; extra CA: ${extraCa ?? "none"}`);
await ensureBaseImages(projectRoot, targets);

interface ImageFigures {
  target: Target;
  tag: string;
  size: number;
  cold: number;
  warm: number;
}
const figures = new Map<Target, ImageFigures>();
// Full images first: the minimal ones' mod_wsgi builds need them.
for (const t of [...targets].sort((a, b) => Number(a.version.minimal) - Number(b.version.minimal))) {
  // Cold: nothing from the cache and no layers kept (so no duplicate chain confuses the cache
  // lookup later, see buildImage). Then one build with the cache, then the measured rebuild.
  const cold = await buildImage(renderer, t, { variant: "bench-cold", noCache: true, layersOff: true, extraCa });
  await podman(["rmi", "-f", cold.tag], { allowFailure: true });
  const cached = await buildImage(renderer, t, { variant: "bench", extraCa });
  const warm = await buildImage(renderer, t, { variant: "bench", extraCa });
  tags.push(warm.tag);
  const f = { target: t, tag: warm.tag, size: await imageSize(warm.tag), cold: cold.seconds, warm: warm.seconds };
  void cached;
  figures.set(t, f);
  console.log(`${imageLabel(t).padEnd(26)} size ${mb(f.size).padStart(7)}  cold build ${s(f.cold).padStart(8)}  warm rebuild ${s(f.warm).padStart(7)} (${pct(f.warm, f.cold)} of cold; goal < 10%: ${verdict(f.warm < 0.1 * f.cold)})`);
  const missed = uncachedSteps(warm.output);
  if (missed.length) console.log(`  the warm rebuild did not take these steps from the cache:\n    ${missed.join("\n    ")}`);
}

const ctx: AppRunContext = { root: projectRoot, renderer, extraCa, builds: new Limiter(1), runs: new Limiter(1) };

interface AppFigures {
  tag: string;
  size: number;
  first: number;
  warm: number;
  changed: number;
}

/** Builds an app (with the layer cache), rebuilds it unchanged, then after appending a comment to one of its source files. */
async function appFigures(app: SampleApp, t: Target, img: ImageUnderTest, name: string): Promise<AppFigures> {
  const check = { ...planChecks(t, [app])[0] };
  const p = await prepareBuild(check, img, ctx);
  const tag = `localhost/s2i-python-app/${name}-${img.tag.split("/").pop()!.split(":")[0]}:test`;
  tags.push(tag);
  try {
    // The first build takes nothing from the cache (the image under test's layers excepted: FROM).
    const build = async (noCache = false) => {
      const r = await podmanBuild({ dir: p.dir, dockerfile: "Dockerfile", tags: [tag], buildArgs: p.buildArgs, extraCa, network: p.network, noCache });
      if (r.code !== 0) throw new Error(`${name} on ${imageLabel(t)}: build failed:\n${r.output.split("\n").slice(-20).join("\n")}`);
      return r.seconds;
    };
    const first = await build(true);
    const warm = await build();
    const srcDir = app.flow === "s2i" ? "src" : "app-src";
    await appendFile(join(p.dir, srcDir, "wsgi.py"), `\n# changed by images.bench.ts at ${new Date().toISOString()}\n`);
    const changed = await build();
    return { tag, size: await imageSize(tag), first, warm, changed };
  } finally {
    await rm(p.dir, { recursive: true, force: true });
  }
}

const line = (label: string, f: AppFigures) =>
  `  ${label.padEnd(44)} size ${mb(f.size).padStart(7)}  build ${s(f.first).padStart(8)}  warm rebuild ${s(f.warm).padStart(7)}  after an app change ${s(f.changed).padStart(7)}`;

const summary: string[] = [];
for (const t of targets.filter((x) => x.version.minimal)) {
  const min = figures.get(t)!;
  const sib = fullSibling(spec, t);
  const full = sib ? figures.get(sib) : undefined;
  console.log(`\n${imageLabel(t)}:`);
  if (full) {
    const ok = min.size <= 0.4 * full.size;
    console.log(`  minimal ${mb(min.size)} vs full ${mb(full.size)}: ${pct(min.size, full.size)} (goal <= 40%: ${verdict(ok)})`);
    summary.push(`${imageLabel(t)}: minimal/full ${pct(min.size, full.size)} (<= 40%: ${verdict(ok)})`);
  }
  const uwsgiApp = apps.find((a) => a.flow === "uwsgi-minimal");
  if (uwsgiApp) {
    const u = await appFigures(uwsgiApp, t, { target: t, tag: min.tag }, "bench-uwsgi");
    console.log(line("uWSGI image (rendered uwsgi.Dockerfile)", u));
  }
  const modApp = apps.find((a) => a.flow === "mod-wsgi-multistage");
  const onFull = apps.find((a) => a.name === modApp?.dir.split("/").pop() && a.flow === "s2i");
  if (modApp && full && onFull) {
    const m = await appFigures(modApp, t, { target: t, tag: min.tag, fullTag: full.tag }, "bench-mod-wsgi-multistage");
    console.log(line("mod_wsgi multi-stage image (rendered)", m));
    const f = await appFigures(onFull, full.target, { target: full.target, tag: full.tag }, `bench-${onFull.name}`);
    console.log(line(`${onFull.name} s2i-built on ${full.target.version.key}`, f));
    const ok = m.size <= 0.5 * f.size;
    console.log(`  mod_wsgi multi-stage ${mb(m.size)} vs the same app on full ${mb(f.size)}: ${pct(m.size, f.size)} (goal <= 50%: ${verdict(ok)})`);
    summary.push(`${imageLabel(t)}: mod_wsgi multi-stage/same app on full ${pct(m.size, f.size)} (<= 50%: ${verdict(ok)})`);
  }
}

console.log("\nGoals:");
for (const f of figures.values()) summary.push(`${imageLabel(f.target)}: warm rebuild ${pct(f.warm, f.cold)} of cold (< 10%: ${verdict(f.warm < 0.1 * f.cold)})`);
for (const l of summary) console.log(`  ${l}`);

if (process.env.S2I_KEEP_IMAGES !== "1") {
  for (const tag of tags.reverse()) await podman(["rmi", "-f", tag], { allowFailure: true });
}
