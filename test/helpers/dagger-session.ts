/**
 * Runs the Dagger module against the fake engine: points the npm SDK at it through
 * DAGGER_SESSION_PORT/TOKEN (so nothing is provisioned or downloaded), and answers the
 * queries the way a healthy engine would for this project's images.
 */
import { loadSampleApps } from "../../ci/src/spec/load.js";
import { FsSource } from "../../ci/src/source.js";
import type { SampleApp } from "../../ci/src/spec/types.js";
import { startFakeEngine, stringArgs, type Answer, type FakeEngine } from "./fake-engine.js";
import { projectRoot } from "./project.js";

export async function fakeSession() {
  const engine = await startFakeEngine(projectRoot);
  process.env.DAGGER_SESSION_PORT = String(engine.port);
  process.env.DAGGER_SESSION_TOKEN = engine.token;
  const sdk = await import("@dagger.io/dagger");
  const { S2iPython } = await import("../../ci/src/index.js");
  const apps = await loadSampleApps(new FsSource(projectRoot));
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
  return { engine, sdk, apps, session, module };
}

/** The value of an env variable set in a query's chain (the last one wins). */
export function envInQuery(query: string, name: string): string | undefined {
  const re = new RegExp(`withEnvVariable \\(name: ${JSON.stringify(name)},\\s*value: ("(?:[^"\\\\]|\\\\.)*")`, "g");
  const all = [...query.matchAll(re)];
  return all.length ? (JSON.parse(all[all.length - 1][1]) as string) : undefined;
}

/** Which sample app a probe query is for (the probe labels itself with S2I_CHECK). */
export function probedApp(query: string): { app: string; variant: string } | undefined {
  const label = envInQuery(query, "S2I_CHECK");
  const m = label && /^(.*) \((.*)\)$/.exec(label);
  return m ? { app: m[1], variant: m[2] } : undefined;
}

/**
 * Answers as a healthy engine would: every probe gets its app's expected status and body,
 * the build that must fail fails like assemble does, `python --version` names the Python of
 * the image built in the same chain, and images carry `nameLabel`.
 */
export function healthyAnswers(engine: FakeEngine, apps: SampleApp[], nameLabel = "sclorg/python-312-c9s") {
  return (query: string, leaf: string): Answer => {
    const probe = probedApp(query);
    if (probe && leaf === "stdout") {
      const app = apps.find((a) => a.name === probe.app)!;
      return { value: JSON.stringify({ status: app.status, body: `<p>${app.body}</p>` }) + "\n" };
    }
    const chain = ["exitCode", "stdout", "stderr", "combinedOutput"].includes(leaf) ? engine.expand(query) : query;
    const failing = apps.find((a) => a.expect === "build-fails" && chain.includes(JSON.stringify(a.dir)));
    if (failing && ["exitCode", "stdout", "stderr"].includes(leaf)) {
      if (leaf === "exitCode") return { value: failing.buildFailure!.exitCode };
      return { value: leaf === "stdout" ? `${failing.buildFailure!.message}\n` : "" };
    }
    if (leaf === "combinedOutput" && query.includes('"--version"')) {
      const key = stringArgs(chain, "dockerfile")[0]?.split("/")[0] ?? "";
      return { value: `Python ${key.replace(/-minimal$/, "")}.4\n` };
    }
    if (leaf === "label") return { value: nameLabel };
    return undefined;
  };
}
