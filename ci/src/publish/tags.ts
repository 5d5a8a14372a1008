/** What a publish names: its tags, and one line for a push the registry refused. */
import type { Target } from "../spec/types.js";
import { withoutTraceIds } from "../verify/error-text.js";

/**
 * The tags of a publish: the full Python version in the image (3.12.9), the version key
 * (3.12-minimal), the distro (c9s), latest, and <YYYYMMDD>-<short sha> when a commit is
 * given, else a <YYYYMMDDhhmmss> timestamp.
 */
export function defaultTags(t: Target, pythonVersion: string, gitSha: string | undefined, now = new Date()): string[] {
  const iso = now.toISOString().replace(/[-:T]/g, "");
  const stamp = gitSha ? `${iso.slice(0, 8)}-${gitSha.slice(0, 7)}` : iso.slice(0, 14);
  return [pythonVersion, t.version.key, t.distro.id, "latest", stamp];
}

/** A registry that stopped mid-push, as Go's HTTP client says it (its words, in one of the groups). */
const GONE = /: ((?:unexpected )?EOF)\b|(connection reset by peer|broken pipe|server closed idle connection)/i;

/** One line for a push the registry refused or could not take. */
export function pushFailure(ref: string, e: unknown): string {
  return `push of ${ref} failed: ${pushFailureReason(withoutTraceIds(e instanceof Error ? e.message : String(e)))}; nothing was tagged by this push`;
}

function pushFailureReason(text: string): string {
  if (/\b401\b|unauthorized|authentication required|denied/i.test(text)) return "the registry refused the credentials";
  if (/connection refused|no such host|i\/o timeout|dial tcp|connect: /i.test(text)) {
    // A request to upload a layer means the registry had answered before: refused now, it went away.
    return /\/blobs\/uploads\//.test(text) ? "the registry went away during the push (it no longer answers)" : "the registry is not reachable";
  }
  const gone = GONE.exec(text);
  if (gone) return `the registry went away during the push (${gone[1] ?? gone[2]})`;
  return text.split("\n")[0].slice(0, 300);
}

/** Checks the Python version the built image reports, e.g. 3.12.9 (the first tag). */
export function pythonVersionTag(out: string): string {
  const v = out.trim();
  if (!/^\d+\.\d+\.\d+/.test(v)) throw new Error(`the built image reports Python "${v}", not a version such as 3.12.9`);
  return v;
}
