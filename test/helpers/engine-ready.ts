/**
 * Engine-backed tests start by making sure a Dagger engine answers: `npm run dagger -- call
 * matrix` brings the local one up (building it if need be). When that fails, every
 * engine-backed test fails with the reason: there is no green run without checks. Once it
 * answers, the client environment up.sh wrote is handed to the later calls of the file, which
 * then only check that the engine listens instead of running up.sh again.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { daggerCall, explainCall } from "./dagger-call.js";

let problem: string | undefined;

/** For test.before: brings the engine up once per test file. */
export async function bringUpEngine(): Promise<void> {
  const r = await daggerCall(["matrix"], "engine");
  if (r.code !== 0) {
    problem = `no Dagger engine, so this check cannot run: npm run dagger -- call matrix ${explainCall(r)}`;
    return;
  }
  const env = join(process.env.S2I_ENGINE_CACHE ?? "/var/cache/s2i-python/engine", "run/client.env");
  if (!process.env._EXPERIMENTAL_DAGGER_RUNNER_HOST && existsSync(env)) {
    for (const m of readFileSync(env, "utf8").matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]] = m[2];
  }
}

/** Why the engine is not there, if it is not. */
export const engineProblem = (): string | undefined => problem;
