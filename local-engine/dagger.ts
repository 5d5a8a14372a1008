/**
 * `dagger call` on a machine without Dagger downloads, in the same words:
 *
 *   npm run dagger -- call [module flags] <function> [flags] [<chained function> [flags]]
 *   npm run dagger -- call --help          npm run dagger -- call <function> --help
 *   npm run dagger -- call -m PATH ...     (another module: a folder with a dagger.json)
 *
 * Where the real `dagger` CLI is on PATH, the arguments go to it unchanged. Otherwise the
 * local engine is brought up (local-engine/up.sh) and the module is loaded on it as
 * `dagger call` loads it (module mode: the engine runs the module's code through its
 * TypeScript SDK); the words are read against the typedefs the engine serves for it, bad
 * input is refused before any function runs, and the call is one query, as the CLI sends it.
 * S2I_LOCAL_ENGINE=1 uses the local engine even when `dagger` is on PATH.
 * Exit codes: the table in ci/src/errors.ts.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { register } from "node:module";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Writable } from "node:stream";
import { EngineLostError, EXIT, exitCodeOf, isReported, UsageError } from "../ci/src/errors.js";
import { ensureEngine } from "./call/engine.js";
import { engineMessage, loadModule } from "./call/module.js";
import { parseCall } from "./call/parse.js";
import { callQuery, printable } from "./call/query.js";
import { engineLost, lostEngineCause } from "./call/faults.js";
import { ProgressTracker } from "./call/progress.js";

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

/** Errors of this stand-in whose message is the whole story: a module that did not load, a function that failed. */
const OWN = ["ModuleLoadError", "FunctionError"];

/** The innermost error we raised on purpose; the SDK wraps errors thrown inside connection(). */
function unwrap(e: unknown): unknown {
  let cur: unknown = e;
  while (cur instanceof Error) {
    if (isReported(cur) || OWN.includes((cur as Error).name)) return cur;
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
  const { mod, rest } = moduleFlag(words.slice(1));
  await ensureEngine(root, say);
  // The SDK's main entry loads the TypeScript compiler for its module introspector, which a client
  // never uses (about 0.45 CPU-s of every call): the runtime's hook loads it only on use.
  register(new URL("./ts-sdk/lazy-compiler-hook.mjs", import.meta.url));
  const sdk = await import("@dagger.io/dagger");
  const progress = new ProgressTracker(process.stderr);
  let out = "";
  await sdk.connection(
    async () => {
      const gql = new sdk.Context().getGQLClient();
      const t = performance.now();
      say("loading the module on the engine (module mode: dagger.json, its TypeScript SDK)");
      const defs = await loadModule(gql, mod);
      say(`module ${defs.module} loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const parsed = parseCall(defs, rest);
      if ("help" in parsed) {
        out = parsed.help;
        return;
      }
      const query = await callQuery(gql, parsed.call, defs.main.constructor?.arguments ?? {});
      try {
        out = printable(await gql.request(query), parsed.call);
      } catch (e) {
        const lost = lostEngineCause(e);
        if (lost) throw engineLost(lost, progress.howFar(), []);
        const message = engineMessage(e);
        // The module's own line for a run an engine fault cut short (ci/src/verify/faults.ts).
        if (message.startsWith("the Dagger engine failed")) throw new EngineLostError(message);
        throw new FunctionError(message);
      }
    },
    { LogOutput: progress },
  );
  // The SDK ends the session with a SIGTERM and does not wait: the functions' last lines, which
  // the engine's telemetry may still be bringing, would be cut off when this process exits.
  // dagger-lite exits once that telemetry has drained (at most 10 s on), ending its stderr.
  await ended(progress, 12_000);
  if (out) console.log(out.replace(/\n$/, ""));
  const incomplete = exportedIncomplete(words);
  if (incomplete) throw new EngineLostError(incomplete);
  return EXIT.ok;
}

/** Resolves when `stream` has finished (its source ended), or after `ms`. */
function ended(stream: Writable, ms: number): Promise<void> {
  if (stream.writableFinished) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(ok, ms);
    stream.once("finish", () => {
      clearTimeout(timer);
      ok();
    });
  });
}

/** `-m PATH` / `--mod PATH` before the other words, as the Dagger CLI takes it: the module to load (default: this checkout). */
function moduleFlag(words: string[]): { mod: string; rest: string[] } {
  const m = /^(?:-m|--mod)(?:=(.*))?$/s.exec(words[0] ?? "");
  if (!m) return { mod: root, rest: words };
  const path = m[1] ?? words[1];
  if (!path) throw new UsageError(`${words[0]} needs the path of a folder with a dagger.json`);
  if (!existsSync(join(resolve(path), "dagger.json"))) throw new UsageError(`${words[0]} ${path}: no dagger.json there`);
  return { mod: resolve(path), rest: words.slice(m[1] === undefined ? 2 : 1) };
}

/** A report exported by this call (`export --path P` with P/results.json) that an engine fault left incomplete: why. */
function exportedIncomplete(words: string[]): string | undefined {
  const i = words.lastIndexOf("export");
  const path = i >= 0 ? (words[i + 1] === "--path" ? words[i + 2] : /^--path=(.*)$/.exec(words[i + 1] ?? "")?.[1]) : undefined;
  const json = path && join(resolve(path), "results.json");
  if (!json || !existsSync(json)) return undefined;
  return (JSON.parse(readFileSync(json, "utf8")) as { incomplete?: string }).incomplete;
}

/** A function of the module failed: the engine's message is the whole story. */
class FunctionError extends Error {
  override name = "FunctionError";
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = unwrap(err);
    if (e instanceof Error && OWN.includes(e.name)) console.error(`error: ${e.message}`);
    else if (isReported(e))
      console.error(["ChecksFailedError", "EngineUnavailableError", "EngineLostError"].includes(e.name) ? e.message : `error: ${e.message}`);
    else console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(exitCodeOf(e));
  },
);
