/** The HTTP probe of a running app: the script a probe container runs, and what its output means. */

/** What came back from probing a running app. */
export interface ProbeResponse {
  status: number;
  body: string;
}

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

export interface ProbeOutcome {
  response?: ProbeResponse;
  /** Why no response came back (service failed to start, probe failed). */
  error?: string;
}

/** The probe's last line of output: the response, or why there is none. */
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
