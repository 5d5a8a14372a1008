/**
 * Runs the Dagger module against the fake engine: points the npm SDK at it through
 * DAGGER_SESSION_PORT/TOKEN, so nothing is provisioned or downloaded.
 */
import { startFakeEngine } from "./fake-engine.js";
import { projectRoot } from "./project.js";

export async function fakeSession() {
  const engine = await startFakeEngine(projectRoot);
  process.env.DAGGER_SESSION_PORT = String(engine.port);
  process.env.DAGGER_SESSION_TOKEN = engine.token;
  const sdk = await import("@dagger.io/dagger");
  const { S2iPython } = await import("../../ci/src/index.js");
  /** Runs fn inside an SDK session and returns its result (errors propagate). */
  const session = async <T>(fn: () => Promise<T>): Promise<T> => {
    let out: T | undefined;
    await sdk.connection(async () => {
      out = await fn();
    });
    return out as T;
  };
  /** A module instance over the checkout, as `dagger call` would construct it. */
  const module = () => new S2iPython(sdk.dag.host().directory(projectRoot));
  return { engine, sdk, session, module };
}
