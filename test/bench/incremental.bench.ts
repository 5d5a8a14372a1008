// Benchmark of assemble on the Debian images, on a Dagger engine, through the module's own s2i steps:
//   npm run bench:incremental [-- --version 3.11-minimal] [--distro debian12] [--runs 2] [--extra-ca FILE | --extra-ca none]
// For each image it prints
//   - the Django sample app (test/apps/django, pip from requirements.txt) built cold and then
//     incrementally, as `s2i build --incremental` does: save-artifacts runs in the cold build's
//     image and its archive is extracted at /tmp/artifacts for the rebuild; the same pair with
//     ENABLE_UV (uv installs requirements.txt); each with the goal: the incremental build takes
//     at most half the cold one;
//   - uv against pip installing the same locked set (test/bench/django-locked.txt: Django and its
//     dependencies, pinned with hashes, by `uv pip compile --universal --generate-hashes`), both
//     cold, and how long getting uv itself takes: pip downloading its wheel (a build without a
//     kept wheel) and unzipping it (every build that uses uv; all that an incremental one does).
// A build is the s2i steps from copying the source to the end of assemble (and, for the rebuild,
// extracting the archive); each run gets a nonce variable, so the engine's cache answers none of
// them. The median of --runs runs (default 3) is printed, with every run's figure.
// Each image's heading gives the load average: on a busy machine every figure is slower.
// Figures only: it exits non-zero when a build fails, never on a missed goal.
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { connection, dag, type Container, type Directory, type File } from "@dagger.io/dagger";
import { buildImage } from "../../ci/src/build/engine/image-build.js";
import { selectTargets, targetName } from "../../ci/src/spec/select.js";
import { readImageConfig } from "../../ci/src/verify/engine/image-config.js";
import { runS2iSteps, saveArtifacts } from "../../ci/src/verify/engine/s2i-run.js";
import { parseS2iEnvironment, s2iBuildSteps, s2iSettings, type S2iSettings } from "../../ci/src/verify/s2i-steps.js";
import { ensureEngine } from "../../local-engine/call/engine.js";
import { firstLine, runBench, timed } from "../helpers/bench.js";
import { project, projectRoot } from "../helpers/project.js";

const { values: args } = parseArgs({
  options: {
    version: { type: "string" },
    distro: { type: "string" },
    runs: { type: "string", default: "3" },
    "extra-ca": { type: "string" },
  },
  strict: true,
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a whole number from 1 up, got ${args.runs}`);

/** The incremental build should take at most this share of the cold one. */
const GOAL = 0.5;
const DJANGO = "test/apps/django";
const LOCKED = "test/bench/django-locked.txt";

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Milliseconds `fn` took. */
const ms = async (fn: () => Promise<unknown>) => (await timed(fn))[1];

interface Build {
  image: Container;
  app: Directory;
  env: Record<string, string>;
  extraCa?: File;
  /** The image's s2i settings (scripts, assemble user), as the s2i CLI reads them. */
  settings: S2iSettings;
}

/** One s2i build of `b.app` with a fresh nonce (cold, or incremental from `artifacts`): the app image and its time. */
async function s2iBuild(b: Build, artifacts?: File): Promise<{ container: Container; ms: number }> {
  const env = { ...b.env, S2I_BENCH_NONCE: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}` };
  const { container } = runS2iSteps(s2iBuildSteps(env, b.settings, { incremental: artifacts !== undefined }), {
    image: b.image,
    app: b.app,
    extraCa: b.extraCa,
    artifacts,
  });
  return { container, ms: await ms(() => container.sync()) };
}

/** Cold and incremental builds, `runs` times: their medians, every run's figure, and the archive's size. */
async function coldAndIncremental(b: Build): Promise<{ cold: number[]; incremental: number[]; archive: number }> {
  const cold: number[] = [];
  const incremental: number[] = [];
  let archive = 0;
  for (let i = 0; i < runs; i++) {
    const first = await s2iBuild(b);
    const artifacts = saveArtifacts(first.container, b.settings);
    archive = await artifacts.size();
    cold.push(first.ms);
    incremental.push((await s2iBuild(b, artifacts)).ms);
  }
  return { cold, incremental, archive };
}

function line(label: string, xs: number[]): string {
  return `${label} ${sec(median(xs))}${xs.length > 1 ? ` (runs: ${xs.map(sec).join(", ")})` : ""}`;
}

async function benchTarget(image: Container, extraCa: File | undefined): Promise<void> {
  const settings = s2iSettings(await readImageConfig(image));
  const django = dag.host().directory(join(projectRoot, DJANGO));
  const env = existsSync(join(projectRoot, DJANGO, ".s2i/environment"))
    ? parseS2iEnvironment(readFileSync(join(projectRoot, DJANGO, ".s2i/environment"), "utf8"))
    : {};

  for (const [tool, extra] of [
    ["pip", {}],
    ["uv (ENABLE_UV)", { ENABLE_UV: "true" }],
  ] as const) {
    const r = await coldAndIncremental({ image, app: django, env: { ...env, ...extra }, extraCa, settings });
    const ratio = median(r.incremental) / median(r.cold);
    console.log(`  django, ${tool}: ${line("cold", r.cold)}; ${line("incremental", r.incremental)}; save-artifacts archive ${(r.archive / 1e6).toFixed(1)} MB`);
    console.log(`    goal: incremental <= ${GOAL * 100}% of cold: ${(ratio * 100).toFixed(0)}%, ${ratio <= GOAL ? "MET" : "NOT met"}`);
  }

  const locked = django.withFile("requirements.txt", dag.host().file(join(projectRoot, LOCKED)));
  const pip: number[] = [];
  const uv: number[] = [];
  const uvWheel: number[] = [];
  const uvOut: number[] = [];
  for (let i = 0; i < runs; i++) {
    pip.push((await s2iBuild({ image, app: locked, env, extraCa, settings })).ms);
    uv.push((await s2iBuild({ image, app: locked, env: { ...env, ENABLE_UV: "true" }, extraCa, settings })).ms);
    const downloaded = downloadUvWheel(image, extraCa);
    uvWheel.push(await ms(() => downloaded.sync()));
    uvOut.push(await ms(() => downloaded.withExec(["python", "-m", "zipfile", "-e", "/tmp/uv-wheel/uv.whl", "/tmp/uv-out"]).sync()));
  }
  console.log(`  same locked set (${LOCKED}), cold: ${line("pip", pip)}; ${line("uv", uv)} (uv ${(median(uv) / median(pip)).toFixed(2)}x pip's time)`);
  console.log(
    `    of which getting uv itself: pip downloading its wheel ${line("", uvWheel).trim()}; unzipping it ${line("", uvOut).trim()} (all an incremental build does)`,
  );
}

/** What a build without a kept wheel does first to get uv, alone: pip downloads uv's wheel (named uv.whl here). */
function downloadUvWheel(image: Container, extraCa: File | undefined): Container {
  let c = image.withEnvVariable("S2I_BENCH_NONCE", `${Date.now()}-${Math.random()}`);
  if (extraCa) c = c.withMountedFile("/run/s2i-extra-ca/ca.pem", extraCa).withEnvVariable("PIP_CERT", "/run/s2i-extra-ca/ca.pem");
  const download =
    "pip download --no-cache-dir --quiet --no-deps --only-binary :all: --dest /tmp/uv-wheel 'uv>=0.8' && mv /tmp/uv-wheel/uv-*.whl /tmp/uv-wheel/uv.whl";
  return c.withExec(["sh", "-c", download]);
}

async function main(): Promise<void> {
  const { spec, renderer } = await project();
  const targets = selectTargets(spec, { version: args.version, distro: args.distro }).filter((t) => t.distro.family === "deb");
  if (!targets.length) throw new Error("no Debian target matches --version/--distro");
  const caPath = args["extra-ca"] ?? (existsSync("/etc/ssl/certs/ca-certificates.crt") ? "/etc/ssl/certs/ca-certificates.crt" : "none");

  await ensureEngine(projectRoot, (l) => console.error(`[engine] ${l}`));
  await connection(async () => {
    const caText = caPath === "none" ? undefined : readFileSync(caPath, "utf8");
    const extraCa = caText === undefined ? undefined : dag.directory().withNewFile("ca.pem", caText).file("ca.pem");
    const secret = caText === undefined ? undefined : dag.setSecret("extra-ca", caText);
    console.log(`incremental.bench: ${targets.map((t) => targetName(t)).join(", ")}; ${runs} run(s) each; extra CA: ${caPath}`);
    const failures: string[] = [];
    for (const t of targets) {
      console.log(`\n== ${targetName(t)} (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
      try {
        const image = buildImage(renderer, t, { extraCa: secret });
        await image.sync();
        await benchTarget(image, extraCa);
      } catch (e) {
        failures.push(`${targetName(t)}: ${firstLine(e)}`);
        console.log(`  failed: ${firstLine(e)}`);
      }
    }
    if (failures.length) throw new Error(`${failures.length} target(s) failed: ${failures.join("; ")}`);
  });
}

await runBench("incremental.bench", main);
