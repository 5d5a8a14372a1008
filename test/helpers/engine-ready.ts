/**
 * Engine-backed tests start by making sure a Dagger engine answers: `npm run dagger -- call
 * matrix` brings the local one up (building it if need be). When that fails, every
 * engine-backed test fails with the reason: there is no green run without checks.
 */
import { daggerCall, explainCall } from "./dagger-call.js";

let problem: string | undefined;

/** For test.before: brings the engine up once per test file. */
export async function bringUpEngine(): Promise<void> {
  const r = await daggerCall(["matrix"], "engine");
  if (r.code !== 0) problem = `no Dagger engine, so this check cannot run: npm run dagger -- call matrix ${explainCall(r)}`;
}

/** Why the engine is not there, if it is not. */
export const engineProblem = (): string | undefined => problem;
