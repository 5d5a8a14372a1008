// Benchmark of `generate` for the whole matrix, two ways:
//  - in one process, as generate does it: load the specs and parse the templates, render every
//    file of every target (the first render compiles each template), write the tree;
//  - as a process, the way users run it: the compiled CLI (node dist/ci/cli.js generate --out
//    TMP --quiet) spawned BENCH_RUNS times (default 7) after one warm-up, min and median wall
//    time, with its template cache warm (the usual case: every run after the first) and off
//    (every template parsed and compiled), beside a bare `node` and a `node` that only imports
//    the CLI's modules, to show what the time is made of.
// Goals: the whole matrix renders in under 1 s in process; as a process (warm cache), under
// 0.7 s wall and at least 60x faster than upstream's `make generate` (about 36 s on the machine
// the goal was set on).
//   npm run bench:render
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadSpec } from "../../ci/src/spec/load-spec.js";
import { Renderer } from "../../ci/src/render/render.js";
import { renderTree, writeTree } from "../../ci/src/render/tree.js";
import { FsSource } from "../../ci/src/spec/source.js";
import { projectRoot } from "../helpers/project.js";

const UPSTREAM_GENERATE_MS = 36_000; // upstream's `make generate`, median on the goal's machine
const PROCESS_GOAL_MS = 700;
const IN_PROCESS_GOAL_MS = 1000;
const runs = Number(process.env["BENCH_RUNS"] ?? 7);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const goal = (ok: boolean) => (ok ? "met" : "NOT met");

// --- in one process ---
const source = new FsSource(projectRoot);
const t0 = performance.now();
const spec = await loadSpec(source);
const renderer = await Renderer.load(source, spec);
const t1 = performance.now();
const files = renderTree(renderer, spec.targets);
const t2 = performance.now();
let warm = Infinity;
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  renderTree(renderer, spec.targets);
  warm = Math.min(warm, performance.now() - s);
}
const out = await mkdtemp(join(tmpdir(), "bench-generate-"));
const t3 = performance.now();
await writeTree(out, files, "replace");
const t4 = performance.now();
const bytes = files.reduce((n, f) => n + f.content.length, 0);
console.log(`targets: ${spec.targets.length}, files: ${files.length}, bytes: ${bytes}`);
console.log("in one process:");
console.log(`  load specs + parse templates:                  ${ms(t1 - t0)}`);
console.log(`  render whole matrix (first; compiles each template once): ${ms(t2 - t1)}`);
console.log(`  render whole matrix (best of 5 warm):          ${ms(warm)}`);
console.log(`  write the tree:                                ${ms(t4 - t3)}`);
const inProcess = t2 - t0;
console.log(`  total (load + first render): ${ms(inProcess)} — goal < ${IN_PROCESS_GOAL_MS} ms: ${goal(inProcess < IN_PROCESS_GOAL_MS)}`);

// --- as a process ---
const cliJs = join(projectRoot, "dist/ci/cli.js");
if (!existsSync(cliJs)) {
  console.error(`${cliJs} is missing: run \`npm ci\` (or \`npm run prepare\`), which compiles the CLI`);
  process.exit(1);
}
function wall(args: string[], env: Record<string, string> = {}): number[] {
  const times: number[] = [];
  for (let i = -1; i < runs; i++) {
    const s = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8", env: { ...process.env, ...env } });
    if (i >= 0) times.push(performance.now() - s);
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b);
}
const median = (xs: number[]) => (xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2);
const row = (label: string, xs: number[]) => console.log(`  ${label.padEnd(56)} min ${ms(xs[0]).padStart(9)}   median ${ms(median(xs)).padStart(9)}`);

// The modules the CLI imports (yargs, handlebars, yaml and ours), without running it.
const imports = ["ci/src/spec/load-spec.js", "ci/src/spec/select.js", "ci/src/spec/matrix-table.js", "ci/src/render/render.js", "ci/src/render/tree.js"]
  .map((m) => `import ${JSON.stringify(join(projectRoot, "dist", m))};`)
  .concat('import "yargs";')
  .join(" ");
console.log(`as a process (${runs} runs each after one warm-up, wall time; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`);
const bare = wall(["-e", "0"]);
row("node -e 0 (node start)", bare);
const loaded = wall(["--input-type=module", "-e", imports]);
row("node importing the CLI's modules (start + module load)", loaded);
const generate = [cliJs, "generate", "--out", join(out, "cli"), "--quiet"];
const cold = wall(generate, { S2I_PYTHON_TEMPLATE_CACHE: "off" });
row("generate --out DIR --quiet, template cache off", cold);
const gen = wall(generate, { S2I_PYTHON_TEMPLATE_CACHE: join(out, "templates.json") });
row("generate --out DIR --quiet, template cache warm", gen);
await rm(out, { recursive: true, force: true });
const m = median(gen);
const c = median(cold);
console.log(
  `  goal: whole matrix as a process < ${PROCESS_GOAL_MS} ms (median, warm cache): ${goal(m < PROCESS_GOAL_MS)} (cache off: ${goal(c < PROCESS_GOAL_MS)})`,
);
const limit = UPSTREAM_GENERATE_MS / 60;
console.log(
  `  goal: >= 60x faster than upstream's make generate (${UPSTREAM_GENERATE_MS / 1000} s on the goal's machine, so <= ${limit} ms): ` +
    `${goal(m <= limit)} (${(UPSTREAM_GENERATE_MS / m).toFixed(0)}x; cache off: ${goal(c <= limit)}, ${(UPSTREAM_GENERATE_MS / c).toFixed(0)}x)`,
);
