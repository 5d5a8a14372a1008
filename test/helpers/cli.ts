/**
 * The generator CLI as users run it: the compiled dist/ci/cli.js under plain node (npm ci
 * builds it), from the checkout's root.
 */
import { execFile } from "node:child_process";
import { access, readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "./project.js";

const run = promisify(execFile);
export const cliJs = join(projectRoot, "dist/ci/cli.js");

/** Every file below dir, relative to root, "/"-separated. */
export async function filesBelow(dir: string, root = dir): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(root, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

/**
 * Fails (never skips) when the compiled CLI is missing or older than its sources: the tests
 * must run the code in ci/, and users run dist/.
 */
let built: Promise<void> | undefined;
export function compiledCli(): Promise<void> {
  built ??= (async () => {
    try {
      await access(cliJs);
    } catch {
      throw new Error(`${relative(projectRoot, cliJs)} is missing: run \`npm ci\` (or \`npm run prepare\`), which compiles the CLI`);
    }
    for (const js of await filesBelow(join(projectRoot, "dist/ci"))) {
      if (!js.endsWith(".js")) continue;
      const ts = join(projectRoot, "ci", js.replace(/\.js$/, ".ts"));
      const [tsStat, jsStat] = await Promise.all([stat(ts).catch(() => undefined), stat(join(projectRoot, "dist/ci", js))]);
      if (tsStat && tsStat.mtimeMs > jsStat.mtimeMs) {
        throw new Error(`dist/ci/${js} is older than ci/${js.replace(/\.js$/, ".ts")}: run \`npm run prepare\` to compile the CLI again`);
      }
    }
  })();
  return built;
}

export type Result = { code: number; stdout: string; stderr: string };
export const cli = (...args: string[]) => cliWith({}, ...args);
export async function cliWith(env: Record<string, string>, ...args: string[]): Promise<Result> {
  await compiledCli();
  return run(process.execPath, [cliJs, ...args], { cwd: projectRoot, maxBuffer: 16 << 20, env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
