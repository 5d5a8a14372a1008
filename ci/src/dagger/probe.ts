import { ExecError, ReturnType, type Container } from "@dagger.io/dagger";
import type { RunVariant } from "../verify/plan.js";
import { clip, tail, type ProbeResponse } from "../verify/http-check.js";
import type { SampleApp } from "../verify/apps.js";

/** The host name the app's service is bound under in the probe container. */
export const APP_HOST = "app";

/**
 * Fetches a URL with the Python standard library, retrying while the app starts, and prints
 * one JSON line: {"status", "body"} or {"error"}. It always exits 0 so that a wrong answer
 * is reported as what came back, not as a failed command.
 */
export const PROBE_SCRIPT = `
import json, sys, time, urllib.request, urllib.error
url, last = sys.argv[1], None
for attempt in range(30):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            print(json.dumps({"status": r.status, "body": r.read().decode("utf-8", "replace")}))
            sys.exit(0)
    except urllib.error.HTTPError as e:
        print(json.dumps({"status": e.code, "body": e.read().decode("utf-8", "replace")}))
        sys.exit(0)
    except Exception as e:
        last = repr(e)
        time.sleep(1)
print(json.dumps({"error": last}))
`;

/** The port every image EXPOSEs (templates/dockerfile/*.Dockerfile.hbs). */
export const IMAGE_PORT = 8080;

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

export interface ProbeOutcome {
  response?: ProbeResponse;
  /** Why no response came back (service failed to start, probe failed). */
  error?: string;
}

/**
 * Starts the app as a service (the image's entrypoint + the run command, like `docker run`)
 * and fetches http://app:<port><path> from a probe container made from the image under
 * test, which always has Python. `runId` makes the probe step new on every run, so a cached
 * answer from an earlier run never stands in for this one.
 */
export async function probeApp(app: SampleApp, appCtr: Container, runCmd: string[], prober: Container, checkLabel: string, runId: string): Promise<ProbeOutcome> {
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

export function parseProbeOutput(out: string): ProbeOutcome {
  const line = out.trim().split("\n").pop() ?? "";
  try {
    const v = JSON.parse(line) as { status?: number; body?: string; error?: string };
    if (typeof v.status === "number") return { response: { status: v.status, body: v.body ?? "" } };
    return { error: `no HTTP answer: ${v.error ?? "unknown error"}` };
  } catch {
    return { error: `the probe printed no result: ${JSON.stringify(out.slice(-300))}` };
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

/** One line for a report's "got": the error's first line and, for a failed command, its last stderr line. */
export function errorLine(e: unknown): string {
  const first = withoutTraceIds(e instanceof Error ? e.message : String(e)).split("\n")[0];
  const last = e instanceof ExecError ? e.stderr.trim().split("\n").pop() : undefined;
  return clip(last ? `${first}: ${last}` : first, 400);
}

/** A readable text for any error from the engine; an ExecError gives its command's output. */
export function errorText(e: unknown): string {
  if (e instanceof ExecError) return [withoutTraceIds(e.message), e.stdout, e.stderr].filter(Boolean).join("\n");
  return withoutTraceIds(e instanceof Error ? e.message : String(e));
}

/** The engine appends " [traceparent:<trace>-<span>]" to an error once per layer it passes. */
export function withoutTraceIds(message: string): string {
  return message.replace(/ ?\[traceparent:[0-9a-f]+-[0-9a-f]+\]/g, "");
}
