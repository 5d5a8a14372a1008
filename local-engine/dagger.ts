/**
 * `dagger call` on a machine without Dagger downloads, in the same words:
 *
 *   npm run dagger -- call [module flags] <function> [flags] [<chained function> [flags]]
 *   npm run dagger -- call --help          npm run dagger -- call <function> --help
 *
 * Where the real `dagger` CLI is on PATH, the arguments go to it unchanged. Otherwise the
 * words are read against the module's own typedefs (the TypeScript SDK's introspector over
 * ci/src), bad input is refused before any engine work, the local engine is brought up
 * (local-engine/up.sh) and the function runs in client mode: the module's own code, on a
 * real engine. S2I_LOCAL_ENGINE=1 uses the local engine even when `dagger` is on PATH.
 * Exit codes: the table in ci/src/errors.ts.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT, exitCodeOf, isReported, UsageError } from "../ci/src/errors.js";
import { ensureEngine } from "./call/engine.js";
import { invoke } from "./call/invoke.js";
import { parseCall } from "./call/parse.js";
import { loadTypedefs } from "./call/typedefs.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const say = (line: string) => console.error(`[dagger] ${line}`);

/** The real Dagger CLI on PATH, if any (our stand-in session CLI does not count). */
function realDagger(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const path = join(dir, "dagger");
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    const v = spawnSync(path, ["version"], { encoding: "utf8" });
    if (v.status === 0 && !v.stdout.includes("dagger-lite")) return path;
  }
  return undefined;
}

/** The innermost error we raised on purpose; the SDK wraps errors thrown inside connection(). */
function unwrap(e: unknown): unknown {
  let cur: unknown = e;
  while (cur instanceof Error) {
    if (isReported(cur)) return cur;
    cur = (cur as Error).cause;
  }
  return e;
}

async function main(words: string[]): Promise<number> {
  const real = process.env.S2I_LOCAL_ENGINE === "1" ? undefined : realDagger();
  if (real) return spawnSync(real, words, { stdio: "inherit" }).status ?? EXIT.failed;

  if (words[0] !== "call") {
    if (!words.length || words[0] === "--help" || words[0] === "-h") {
      console.log(
        "Usage: npm run dagger -- call [module flags] <function> [flags] [<chained function> [flags]]\n(the real dagger CLI is not on PATH: `call` runs on the local engine; see local-engine/README.md)",
      );
      return EXIT.ok;
    }
    throw new UsageError(`"${words[0]}" is not supported without the real dagger CLI; valid commands: call`);
  }
  const defs = await loadTypedefs(root);
  const parsed = parseCall(defs, words.slice(1));
  if ("help" in parsed) {
    console.log(parsed.help);
    return EXIT.ok;
  }
  await ensureEngine(root, say);
  const sdk = await import("@dagger.io/dagger");
  let out = "";
  await sdk.connection(
    async () => {
      out = await invoke(sdk, defs, parsed.call, root);
    },
    { LogOutput: process.stderr },
  );
  if (out) console.log(out.replace(/\n$/, ""));
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = unwrap(err);
    if (isReported(e)) console.error(e.name === "ChecksFailedError" || e.name === "EngineUnavailableError" ? e.message : `error: ${e.message}`);
    else console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(exitCodeOf(e));
  },
);
