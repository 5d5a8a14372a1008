// Where the engine-backed suite's wall time goes, and how much of the machine each part leaves
// idle:
//   npm run bench:suite [-- --scripts test:engine,test:publish,test:faults]
// Runs each npm script in turn (the engine up, as npm test leaves it), reads the machine's CPU
// time (/proc/stat) every 2 s and prints, per script, its wall time and how busy the cores were;
// in a script that runs its files one at a time, the same per file (a file starts when the one
// before it printed its last test). A part well under 100% busy could run beside another one;
// a part near 100% only gets faster by doing less. Figures only: it exits non-zero when a script
// fails (its figures would describe a broken run), never on a figure.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { runBench } from "../helpers/bench.js";
import { projectRoot } from "../helpers/project.js";

const { values } = parseArgs({ options: { scripts: { type: "string", default: "test:engine,test:publish,test:faults" } }, strict: true });
const scripts = values.scripts.split(",").filter(Boolean);
const CORES = cpus().length;
const pkg = JSON.parse(readFileSync(`${projectRoot}/package.json`, "utf8")) as { scripts: Record<string, string> };

/** Busy and total jiffies of all cores since boot. */
function cpuTimes(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total }; // idle and iowait are the two not busy
}

/** Samples of [seconds since start, busy jiffies, total jiffies]. */
const t0 = performance.now();
const now = () => (performance.now() - t0) / 1000;
const samples: [number, number, number][] = [];
const sample = () => {
  const c = cpuTimes();
  samples.push([now(), c.busy, c.total]);
};

/** Percent of all cores busy between two moments, from the samples nearest them. */
function busyBetween(from: number, to: number): number {
  const at = (t: number) => samples.reduce((best, s) => (Math.abs(s[0] - t) < Math.abs(best[0] - t) ? s : best));
  const [a, b] = [at(from), at(to)];
  return b[2] > a[2] ? (100 * (b[1] - a[1])) / (b[2] - a[2]) : NaN;
}

interface Part {
  name: string;
  start: number;
  end: number;
}

/** Runs one npm script; returns its span and, for a one-file-at-a-time script, each file's span. */
function run(script: string): Promise<{ whole: Part; files: Part[]; oneAtATime: boolean }> {
  const oneAtATime = /--concurrency=1\b/.test(pkg.scripts[script]) && !pkg.scripts[script].includes("&&");
  const start = now();
  const files: Part[] = [];
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script], { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] });
    let rest = "";
    child.stdout.on("data", (d: Buffer) => {
      process.stdout.write(d);
      const lines = (rest + d.toString("utf8")).split("\n");
      rest = lines.pop()!;
      for (const l of lines) {
        // ava's line for a finished test: "  ✔ file › title (time)", also ✘ and [known failure] forms.
        const m = /^\s+[✔✘]\s+(?:\[[^\]]+\]:?\s+)?([\w.-]+) › /.exec(l);
        if (!m) continue;
        const last = files.at(-1);
        if (last?.name === m[1]) last.end = now();
        else files.push({ name: m[1], start: last?.end ?? start, end: now() });
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`npm run ${script} failed (exit ${code}): these figures would describe a broken run`));
      else resolve({ whole: { name: script, start, end: now() }, files, oneAtATime });
    });
  });
}

await runBench("bench:suite", async () => {
  // Bad input runs nothing.
  const unknown = scripts.filter((s) => !pkg.scripts[s]);
  const tests = Object.keys(pkg.scripts).filter((s) => s.startsWith("test:"));
  if (unknown.length || !scripts.length)
    throw new Error(`--scripts: no script named "${unknown.join(", ")}" in package.json; give some of ${tests.join(", ")}`);
  sample();
  const timer = setInterval(sample, 2000);
  const rows: string[] = [];
  let idle = 0;
  const line = (name: string, p: Part) => {
    const busy = busyBetween(p.start, p.end);
    return `${name.padEnd(22)} ${(p.end - p.start).toFixed(0).padStart(6)} s  ${busy.toFixed(0).padStart(3)}% busy`;
  };
  try {
    for (const script of scripts) {
      const { whole, files, oneAtATime } = await run(script);
      sample();
      rows.push(line(script, whole));
      idle += ((100 - busyBetween(whole.start, whole.end)) / 100) * CORES * (whole.end - whole.start);
      if (oneAtATime) for (const f of files) rows.push(line(`  ${f.name}`, f));
    }
  } finally {
    clearInterval(timer);
  }
  const total = now();
  console.log(`\nbench:suite (${CORES} cores, busy = all cores' time not idle, from /proc/stat every 2 s)`);
  for (const r of rows) console.log(r);
  console.log(
    `${"all".padEnd(22)} ${total.toFixed(0).padStart(6)} s  ${busyBetween(0, total).toFixed(0).padStart(3)}% busy; ${idle.toFixed(0)} core-seconds idle`,
  );
});
