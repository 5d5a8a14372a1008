/**
 * The engine a call runs on: the one the environment names (both _EXPERIMENTAL_DAGGER_RUNNER_HOST
 * and _EXPERIMENTAL_DAGGER_CLI_BIN set), else the local engine, brought up by up.sh, which
 * builds whatever is missing. up.sh's own step lines are shown; everything else it prints
 * goes to a log that is shown only when a step fails.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { EngineUnavailableError } from "../../ci/src/errors.js";

const RUNNER = "_EXPERIMENTAL_DAGGER_RUNNER_HOST";
const CLI = "_EXPERIMENTAL_DAGGER_CLI_BIN";

/** Resolves when something accepts TCP connections at a tcp:// runner address. */
export function reachable(host: string, timeoutMs = 5000): Promise<void> {
  const m = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
  if (!m) return Promise.resolve();
  return new Promise((ok, fail) => {
    const sock = createConnection({ host: m[1], port: Number(m[2]), timeout: timeoutMs });
    sock.once("connect", () => (sock.end(), ok()));
    sock.once("timeout", () => (sock.destroy(), fail(new EngineUnavailableError(`no Dagger engine answers at ${host} (timed out)`))));
    sock.once("error", (e) => fail(new EngineUnavailableError(`no Dagger engine answers at ${host} (${e.message})`)));
  });
}

/** Sets the client environment for the SDK: the caller's engine, or the local one. */
export async function ensureEngine(root: string, say: (line: string) => void): Promise<void> {
  if (process.env[RUNNER] && process.env[CLI]) {
    await reachable(process.env[RUNNER]!);
    return;
  }
  const logDir = join(process.env.S2I_ENGINE_CACHE ?? "/var/cache/s2i-python/engine", "run");
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, "up.log");
  const log = createWriteStream(logPath);
  // Step lines are shown once the bring-up takes a while (a build); a quick check of an
  // engine that is already up gets one line.
  const started = Date.now();
  const held: string[] = [];
  let live = false;
  const goLive = () => {
    if (live) return;
    live = true;
    say("bringing up the local Dagger engine (local-engine/up.sh; what is missing is built first)");
    held.splice(0).forEach(say);
  };
  const timer = setTimeout(goLive, 3000);
  const child = spawn("bash", [join(root, "local-engine/up.sh")], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  let partial = "";
  child.stderr.on("data", (d: Buffer) => {
    log.write(d);
    const lines = (partial + d.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) {
      if (!/^\[up [\d:]+\] (step |FAILED|session ok)/.test(l)) continue;
      const line = l.replace(/^\[up [\d:]+\] /, "");
      if (live) say(line);
      else held.push(line);
    }
  });
  const code = await new Promise<number>((ok) => child.on("close", (c) => ok(c ?? 1)));
  clearTimeout(timer);
  await new Promise<void>((ok) => log.end(ok));
  if (code !== 0) goLive();
  else if (!live) say(`local engine up (checked in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (code !== 0) {
    const lines = readFileSync(logPath, "utf8").trimEnd().split("\n");
    const failed = [...lines].reverse().find((l) => l.includes("FAILED")) ?? `local-engine/up.sh exited ${code}`;
    throw new EngineUnavailableError(
      `${failed.replace(/^\[[\w-]+ [\d:]+\] /, "")}\n${lines
        .slice(-15)
        .map((l) => `  | ${l}`)
        .join("\n")}\n(whole log: ${logPath})`,
    );
  }
  for (const m of stdout.matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]] = m[2];
  if (!process.env[RUNNER] || !process.env[CLI]) throw new EngineUnavailableError(`local-engine/up.sh printed no client environment (log: ${logPath})`);
}
