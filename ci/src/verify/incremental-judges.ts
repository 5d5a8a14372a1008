/**
 * Judges of an incremental build (`s2i build --incremental`), as the s2i-incremental flow runs it
 * (verify/engine/app-run.ts observes): what save-artifacts handed over, and whether the
 * rebuild's assemble took it.
 */

/** The line assemble prints when it takes the caches from /tmp/artifacts (templates/partials/assemble/download-cache.sh.hbs). */
export const CACHE_TAKEN = "---> Using the download cache of the previous build (";

/** The caches save-artifacts archives, by their folder in the archive. */
const CACHE_FOLDERS = ["pip", "uv"];

/**
 * The archive's members (`tar -tf`) are pip's and uv's caches and nothing else: never the
 * virtual environment or the source. uv's must be there, as the flow's rebuild installs with it.
 */
export function judgeArtifactMembers(members: string[]): string | undefined {
  const names = members.map((m) => m.trim()).filter(Boolean);
  const other = names.filter((m) => !CACHE_FOLDERS.some((f) => m === f || m === `${f}/` || m.startsWith(`${f}/`)));
  if (other.length) return `save-artifacts archived more than the download caches: ${other.slice(0, 5).join(", ")}${other.length > 5 ? ", ..." : ""}`;
  if (!names.some((m) => m.startsWith("uv/") && m !== "uv/")) return `save-artifacts archived no uv cache (members: ${names.slice(0, 5).join(", ") || "none"})`;
  return undefined;
}

/** The rebuild's assemble output says it took the handed-over caches. */
export function judgeRebuildLog(log: string): string | undefined {
  const line = log.split("\n").find((l) => l.startsWith(CACHE_TAKEN));
  if (!line) return `the rebuild's assemble did not print "${CACHE_TAKEN}...)": it did not take the archive from /tmp/artifacts`;
  if (!/\buv\b/.test(line.slice(CACHE_TAKEN.length))) return `the rebuild took no uv cache: ${line}`;
  return undefined;
}
