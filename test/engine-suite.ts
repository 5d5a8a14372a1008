/**
 * The engine-backed tests (test/engine/*.test.ts) as two queues at once, each file its own ava
 * run: the files that already run several `test` calls at once (inSlot) in one queue, one after
 * another; every other file, each a few calls in a row that leave part of the 2 cores idle, in
 * the other. red/green goes last in its queue: it takes the green halves of its red tests from
 * the reports debian-images and the GitHub workflow test made (without them it runs its own).
 * S2I_TEST_QUEUES=1 runs every file in one queue, as before. Exits 1 if any file failed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";

const DIR = "test/engine";
/** The files whose calls run a few at once already, in the order they run. */
const SLOTTED = ["debian-images", "s2i-cli", "red-green"];

const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => f.replace(/\.test\.ts$/, ""))
  .sort();
const absent = SLOTTED.filter((s) => !files.includes(s));
if (absent.length) {
  console.error(`[engine-suite] ${absent.join(", ")}: named in test/engine-suite.ts but not in ${DIR}/`);
  process.exit(2);
}
const others = files.filter((f) => !SLOTTED.includes(f));
// The workflow test first: its report is the green half of red/green's 3.11-minimal calls.
others.sort((a, b) => Number(b === "github-workflow") - Number(a === "github-workflow"));
const queues = process.env.S2I_TEST_QUEUES === "1" ? [[...SLOTTED, ...others]] : [SLOTTED, others];

const children = new Set<ChildProcess>();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    for (const c of children) c.kill(sig);
    process.exit(130);
  });
}

function ava(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["ava", "--concurrency=1", "--timeout=40m", `${DIR}/${file}.test.ts`], { stdio: "inherit" });
    children.add(child);
    child.on("close", (code) => {
      children.delete(child);
      resolve(code ?? 1);
    });
  });
}

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
const outcomes = await Promise.all(
  queues.map(async (queue, i) => {
    const failed: string[] = [];
    for (const file of queue) {
      console.error(`[engine-suite ${seconds()}s] queue ${i + 1}: ${file}`);
      if ((await ava(file)) !== 0) failed.push(file);
    }
    console.error(`[engine-suite ${seconds()}s] queue ${i + 1} (${queue.join(", ")}) done: ${failed.length ? `FAILED: ${failed.join(", ")}` : "passed"}`);
    return failed;
  }),
);
const failed = outcomes.flat();
console.error(`[engine-suite] ${files.length} files in ${seconds()} s: ${failed.length ? `FAILED: ${failed.join(", ")}` : "all passed"}`);
process.exit(failed.length ? 1 : 0);
