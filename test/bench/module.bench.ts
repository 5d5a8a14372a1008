// What module mode costs a `dagger call` here, measured through the README's own words:
//   npm run bench:module [-- --runs 5]
// For each run of `npm run dagger -- call check-report --report DIR` (DIR a fresh passing report,
// so the function's result is never in the cache and its runtime container runs) and of
// `npm run dagger -- call dockerfile --version 3.11 contents` (a result the engine caches after
// the first run), it prints the whole call's wall time and the module load the stand-in reports
// ("module s2i-python loaded in X s"). The first load after an engine start (the SDK content
// unpacked, the module's npm dependencies installed, its types read) is not repeated here:
// restart the engine (local-engine/down.sh, up.sh) and run this again to see it in the first row.
// Figures only: it exits non-zero on errors, never on a figure.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../helpers/project.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } }, strict: true });
const runs = Number(values.runs);

function call(words: string[]): { wall: number; load: number } {
  const t = performance.now();
  const r = spawnSync("npm", ["run", "--silent", "dagger", "--", "call", ...words], { cwd: projectRoot, encoding: "utf8" });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`npm run dagger -- call ${words.join(" ")} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const load = Number(/module \S+ loaded in ([\d.]+) s/.exec(r.stderr)?.[1] ?? NaN);
  return { wall, load };
}

function freshReport(i: number): string {
  const dir = mkdtempSync(join(tmpdir(), "s2i-bench-report-"));
  const result = { name: "image build", image: "bench", outcome: "pass", seconds: i };
  writeFileSync(join(dir, "results.json"), JSON.stringify({ started: new Date().toISOString(), results: [result] }));
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Record<string, { wall: number; load: number }[]> = { "check-report (runs the module's code)": [], "dockerfile (answered from the cache)": [] };
for (let i = 0; i < runs; i++) {
  rows["check-report (runs the module's code)"].push(call(["check-report", "--report", freshReport(i)]));
  rows["dockerfile (answered from the cache)"].push(call(["dockerfile", "--version", "3.11", "contents"]));
}
console.log(`npm run dagger -- call, module mode, ${runs} runs each (seconds: run 1, then min / median / max of all)`);
for (const [name, rs] of Object.entries(rows)) {
  for (const key of ["wall", "load"] as const) {
    const xs = rs.map((r) => r[key]);
    console.log(
      `  ${name.padEnd(40)} ${key === "wall" ? "whole call " : "module load"}  first ${xs[0].toFixed(1)}  ${Math.min(...xs).toFixed(1)} / ${median(xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)}`,
    );
  }
}
