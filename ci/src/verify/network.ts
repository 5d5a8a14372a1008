/**
 * Network troubles in what a step printed: the transient ones worth one retry (a pull or a
 * download that timed out or was cut), and a package index that could not be reached at all,
 * named with the package that was wanted from it. Read from pip's and BuildKit's own words.
 */
import { clip } from "./text.js";

const TRANSIENT =
  /i\/o timeout|TLS handshake timeout|connection reset by peer|Temporary failure in name resolution|Read timed out|RemoteDisconnected|NewConnectionError|Failed to establish a new connection|Max retries exceeded|ProtocolError|IncompleteRead|50[234] (?:Bad Gateway|Service Unavailable|Gateway Time-?out)|unexpected EOF/i;

/** The line that shows a transient network error (its end, where the error is named), or undefined. */
export function transientNetworkReason(text: string): string | undefined {
  const line = text
    .split("\n")
    .find((l) => TRANSIENT.test(l))
    ?.trim();
  if (line === undefined) return undefined;
  const at = line.search(TRANSIENT);
  return at > 150 ? `…${clip(line.slice(at - 120), 200)}` : clip(line, 200);
}

const UNREACHABLE =
  /NewConnectionError|Failed to establish a new connection|Connection refused|Max retries exceeded|Name or service not known|Temporary failure in name resolution/i;

/** "the package index http://…/simple was unreachable for gunicorn", when pip could not reach its index, or undefined. */
export function unreachableIndex(text: string): string | undefined {
  if (!UNREACHABLE.test(text)) return undefined;
  const pkg = /(?:Could not find a version that satisfies the requirement|No matching distribution found for) ([^\s(;,]+)/.exec(text)?.[1];
  if (!pkg) return undefined;
  const index = /Looking in indexes: ([^\s,]+)/.exec(text)?.[1] ?? "the default index (PyPI)";
  return `the package index ${index} was unreachable for ${pkg}`;
}
