// Reproducibility of the images, measured: each image built twice from the same sources, cold
// (a different `ARG S2I_REPRO_NONCE=...` right after FROM makes every step after the base pull
// run again; an ARG reaches no image config), both pushed to the local registry, then compared:
//   npm run bench:repro [-- --version 3.11-minimal,3.13-minimal] [--extra-ca FILE | none] [--no-epoch]
//   npm run bench:repro -- --compare REF_A,REF_B     (only the comparison, of two pushed images)
// SOURCE_DATE_EPOCH is the time of the checkout's HEAD commit (git log -1 --format=%ct) unless
// --no-epoch. For each image it prints both digests, what differs in the image configs
// (key paths), which layers differ, and inside each differing layer the paths that differ and
// how (content, mtime, mode, owner, only in one), grouped by folder. Figures only: it exits
// non-zero on errors, never because the images differ.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { connection, dag, type Secret } from "@dagger.io/dagger";
import { buildImage } from "../../ci/src/build/engine/image-build.js";
import { targetImageName } from "../../ci/src/spec/image.js";
import { selectTargets, targetName } from "../../ci/src/spec/select.js";
import { ensureEngine } from "../../local-engine/call/engine.js";
import { runBench } from "../helpers/bench.js";
import { project, projectRoot } from "../helpers/project.js";
import { withLineAfterFrom } from "./nonce.js";
import { blobOf, layerTar, manifestOf } from "../helpers/registry-api.js";
import { diffEntries, tarEntries } from "./tar-entries.js";

const REGISTRY = process.env.S2I_REGISTRY_ADDR ?? "127.0.0.1:5000";
const { values: args } = parseArgs({
  options: {
    version: { type: "string" },
    distro: { type: "string" },
    "extra-ca": { type: "string" },
    "no-epoch": { type: "boolean" },
    compare: { type: "string" },
  },
  strict: true,
});

/** The key paths where two JSON values differ (arrays by index). */
export function jsonDiff(a: unknown, b: unknown, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  }
  return [`${at}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`];
}

/** Paths grouped by their first three folders and what differs, biggest groups first. */
function grouped(diffs: { path: string; what: string[] }[]): string[] {
  const groups = new Map<string, string[]>();
  for (const d of diffs) {
    const key = `${d.path.split("/").slice(0, 3).join("/")} [${d.what.join(", ")}]`;
    groups.set(key, [...(groups.get(key) ?? []), d.path]);
  }
  return [...groups].sort((x, y) => y[1].length - x[1].length).map(([k, ps]) => `${String(ps.length).padStart(6)}  ${k}  e.g. ${ps.slice(0, 3).join(" ")}`);
}

async function compare(refA: string, refB: string): Promise<void> {
  const [a, b] = [await manifestOf(refA), await manifestOf(refB)];
  console.log(`  digests: ${a.digest} ${a.digest === b.digest ? "==" : "!="} ${b.digest}`);
  if (a.digest === b.digest) return;
  const conf = async (ref: string, d: string) => JSON.parse((await blobOf(ref, d)).toString("utf8")) as unknown;
  const cd = jsonDiff(await conf(refA, a.manifest.config.digest), await conf(refB, b.manifest.config.digest));
  console.log(`  image config: ${cd.length ? `${cd.length} differences` : "the same"}`);
  for (const l of cd.slice(0, 30)) console.log(`    ${l}`);
  const md = jsonDiff({ ...a.manifest, layers: undefined, config: undefined }, { ...b.manifest, layers: undefined, config: undefined });
  if (md.length) console.log(`  manifest (besides config and layers): ${md.join("; ")}`);
  const n = Math.max(a.manifest.layers.length, b.manifest.layers.length);
  for (let i = 0; i < n; i++) {
    const [la, lb] = [a.manifest.layers[i], b.manifest.layers[i]];
    if (la?.digest === lb?.digest) {
      console.log(`  layer ${i}: the same (${la.digest.slice(0, 19)}, ${(la.size / 1e6).toFixed(1)} MB)`);
      continue;
    }
    if (!la || !lb) {
      console.log(`  layer ${i}: only in ${la ? "the first" : "the second"}`);
      continue;
    }
    const [ta, tb] = [tarEntries(await layerTar(refA, la.digest)), tarEntries(await layerTar(refB, lb.digest))];
    const diffs = diffEntries(ta, tb);
    const order = ta.map((e) => e.path).join("\n") === tb.map((e) => e.path).join("\n");
    console.log(`  layer ${i}: differs (${ta.length} entries; ${diffs.length} differ; entry order ${order ? "the same" : "differs"})`);
    for (const g of grouped(diffs).slice(0, 25)) console.log(`    ${g}`);
  }
}

async function main(): Promise<void> {
  if (args.compare) return compare(...(args.compare.split(",") as [string, string]));
  const { spec, renderer } = await project();
  const versions = (args.version ?? "3.11-minimal,3.13-minimal").split(",");
  const targets = versions.flatMap((v) => selectTargets(spec, { version: v, distro: args.distro })).filter((t) => t.distro.family === "deb");
  if (!targets.length) throw new Error("no Debian target matches --version/--distro");
  const caPath = args["extra-ca"] ?? (existsSync("/etc/ssl/certs/ca-certificates.crt") ? "/etc/ssl/certs/ca-certificates.crt" : "none");
  const epoch = args["no-epoch"] ? undefined : Number(execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: projectRoot, encoding: "utf8" }).trim());
  await ensureEngine(projectRoot, (l) => console.error(`[engine] ${l}`));
  await connection(async () => {
    const extraCa: Secret | undefined = caPath === "none" ? undefined : dag.setSecret("extra-ca", readFileSync(caPath, "utf8"));
    console.log(`repro.bench: ${targets.map((t) => targetName(t)).join(", ")}; SOURCE_DATE_EPOCH ${epoch ?? "not set"}; registry ${REGISTRY}`);
    for (const t of targets) {
      console.log(`\n== ${targetName(t)}`);
      const refs: string[] = [];
      for (const run of ["a", "b"]) {
        const nonce = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
        const t0 = performance.now();
        // The nonce ARG ends up in the environment, as dockerBuild keeps ARGs there: drop it as buildImage drops ours.
        const image = buildImage(withLineAfterFrom(renderer, `ARG S2I_REPRO_NONCE=${nonce}`), t, { extraCa, sourceDateEpoch: epoch }).withoutEnvVariable(
          "S2I_REPRO_NONCE",
        );
        refs.push(await image.publish(`${REGISTRY}/s2i-repro/${targetImageName(t)}:${run}`));
        console.log(`  build ${run}: cold, ${((performance.now() - t0) / 1000).toFixed(0)} s, ${refs.at(-1)}`);
      }
      await compare(refs[0], refs[1]);
    }
  });
}

await runBench("repro.bench", main);
