import { dag, type Container } from "@dagger.io/dagger";
import { errorLine } from "../error-text.js";
import { STOP_HARNESS, type StopOutcome, type StopVariant } from "../stop-harness.js";

/**
 * How much slower than native the app runs: 1, or 6 for an image of another platform than the
 * engine's, whose every step runs emulated. The grace period before a kill (docker's 10 s) and
 * the table's stop limit are stretched by it.
 */
export async function slowdown(app: Container): Promise<number> {
  const [mine, engine] = await Promise.all([app.platform(), dag.defaultPlatform()]);
  return mine === engine ? 1 : 6;
}

/** Runs one variant of the app in the stop harness; never throws. */
export async function stopOnce(app: Container, v: StopVariant, url: string, user: string, grace: number, runId: string): Promise<StopOutcome> {
  let c = app.withUser("0").withEnvVariable("S2I_RUN_ID", runId);
  for (const [k, val] of Object.entries(v.env)) c = c.withEnvVariable(k, val);
  try {
    const out = await c.withExec(["python3", "-c", STOP_HARNESS, JSON.stringify(v.cmd), url, user, String(grace)], { insecureRootCapabilities: true }).stdout();
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as StopOutcome;
  } catch (e) {
    return { error: errorLine(e) };
  }
}
