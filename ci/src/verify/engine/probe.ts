import { ReturnType, type Container } from "@dagger.io/dagger";
import type { RunVariant } from "../plan.js";
import { APP_HOST, IMAGE_PORT, parseProbeOutput, PROBE_SCRIPT, type ProbeOutcome } from "../probe-script.js";
import type { SampleApp } from "../../spec/sample-apps.js";
import { tail } from "../text.js";
import { errorLine, errorText } from "../error-text.js";

/**
 * The container as a service that counts as up once `port` answers. dockerBuild turns the
 * image's EXPOSE 8080 into an exposed port, and the engine health-checks every exposed port
 * before a client may run (retrying for 15 minutes): an app on 8085, or the package index
 * on 8000, would wait for 8080 until then and fail. So only `port` stays exposed.
 */
export function servedOn(ctr: Container, port: number): Container {
  return (port === IMAGE_PORT ? ctr : ctr.withoutExposedPort(IMAGE_PORT)).withExposedPort(port);
}

/** The app's container as one run variant starts it: that user, that environment. */
export function variantContainer(app: Container, variant: RunVariant): Container {
  let c = variant.user ? app.withUser(variant.user) : app;
  for (const [k, v] of Object.entries(variant.env)) c = c.withEnvVariable(k, v);
  return c;
}

/**
 * Starts the app as a service (the image's entrypoint + the run command, like `docker run`)
 * and fetches http://app:<port><path> from a probe container made from the image under
 * test, which always has Python. `runId` makes the probe step new on every run, so a cached
 * answer from an earlier run never stands in for this one.
 */
export async function probeApp(
  app: SampleApp,
  appCtr: Container,
  runCmd: string[],
  prober: Container,
  checkLabel: string,
  runId: string,
): Promise<ProbeOutcome> {
  const service = servedOn(appCtr, app.port).asService({ args: runCmd, useEntrypoint: true });
  const url = `http://${APP_HOST}:${app.port}${app.path}`;
  try {
    const out = await prober
      .withEnvVariable("S2I_CHECK", checkLabel)
      .withEnvVariable("S2I_RUN_ID", runId)
      .withServiceBinding(APP_HOST, service)
      .withExec(["python3", "-c", PROBE_SCRIPT, url])
      .stdout();
    return parseProbeOutput(out);
  } catch (e) {
    return { error: errorLine(e) };
  }
}

/**
 * The tail of what the app prints when started the same way, for a failure report: the run
 * command under `timeout`, its exit status ignored.
 */
export async function runLogTail(appCtr: Container, runCmd: string[], seconds = 20): Promise<string> {
  try {
    const c = appCtr.withExec(["timeout", String(seconds), ...runCmd], { useEntrypoint: true, expect: ReturnType.Any });
    return tail(await c.combinedOutput());
  } catch (e) {
    return tail(errorText(e));
  }
}
