/**
 * Faults of the machinery, told apart from results of the module: the engine went away (its
 * connection broke while a call ran). Such a run stops with one line and its own exit code;
 * nothing it did not finish is reported as a failure of an app.
 */
import { EngineLostError } from "../../ci/src/errors.js";

/** What the engine answers while it stops (podman stop, a host shutting down). */
const SHUTTING_DOWN = /engine is shutting down/i;

/** The connection to the engine broke (dagger-lite answers 502 with the transport's error, or the session itself is gone), or the engine is stopping. */
export function lostEngineCause(e: unknown): string | undefined {
  const res = (e as { response?: { status?: number; body?: unknown; errors?: { message?: string }[] } }).response;
  const said = res?.errors?.[0]?.message;
  if (said && SHUTTING_DOWN.test(said)) return said;
  if (res?.status === 502 || res?.status === 503) {
    const body = typeof res.body === "string" ? res.body : JSON.stringify(res.body ?? "");
    return body.replace(/^http do: /, "").trim() || `HTTP ${res.status} from the session`;
  }
  if (!res && e instanceof Error) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    if (/fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|other side closed/i.test(`${e.message} ${cause?.code ?? ""} ${cause?.message ?? ""}`)) {
      return cause?.message ?? e.message;
    }
  }
  return undefined;
}

/** The one line of a run the engine left: how far it got, and that nothing more happened. */
export function engineLost(cause: string, howFar: string | undefined, pushed: string[]): EngineLostError {
  const after = howFar ? `after ${howFar}` : "during the call";
  const published = pushed.length ? `published before that: ${pushed.join(", ")}` : "nothing was published";
  return new EngineLostError(`the Dagger engine went away ${after}: ${cause}; ${published}; rerun when it is back (local-engine/up.sh)`);
}
