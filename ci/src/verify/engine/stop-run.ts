import { dag, type Container } from "@dagger.io/dagger";
import { errorLine } from "../error-text.js";
import { STOP_HARNESS, type StopOutcome, type StopVariant } from "../stop-harness.js";

/**
 * The grace period before a kill: docker's 10 s, or 60 s for an image of another platform than
 * the engine's, whose every step runs emulated and many times slower.
 */
export async function gracePeriod(app: Container): Promise<number> {
  const [mine, engine] = await Promise.all([app.platform(), dag.defaultPlatform()]);
  return mine === engine ? 10 : 60;
}

/** Runs one variant of the app in the stop harness; never throws. */
export async function stopOnce(app: Container, v: StopVariant, url: string, uid: number, grace: number, runId: string): Promise<StopOutcome> {
  let c = app.withUser("0").withEnvVariable("S2I_RUN_ID", runId);
  for (const [k, val] of Object.entries(v.env)) c = c.withEnvVariable(k, val);
  try {
    const out = await c
      .withExec(["python3", "-c", STOP_HARNESS, JSON.stringify(v.cmd), url, String(uid), String(grace)], { insecureRootCapabilities: true })
      .stdout();
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as StopOutcome;
  } catch (e) {
    return { error: errorLine(e) };
  }
}
