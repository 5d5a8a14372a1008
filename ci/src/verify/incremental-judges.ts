/**
 * Judges of an incremental build (`s2i build --incremental`), as the s2i-incremental flow runs it
 * (verify/engine/app-run.ts observes): what save-artifacts handed over, and whether the
 * rebuild's assemble took it.
 */

/** The line assemble prints when it takes the caches from /tmp/artifacts (templates/partials/assemble/download-cache.sh.hbs). */
export const CACHE_TAKEN = "---> Using the download cache of the previous build (";

/** The line assemble prints when it installs uv from the wheel the previous build kept (templates/partials/assemble/uv.sh.hbs). */
export const UV_FROM_CACHE = "---> Installed uv for this build from the download cache";

/** The caches save-artifacts archives, by their folder in the archive: pip's, uv's, and uv's own wheel. */
const CACHE_FOLDERS = ["pip", "uv", "uv-wheel"];

/**
 * The archive's members (`tar -tf`) are the download caches and nothing else: never the
 * virtual environment or the source. uv's cache and uv's wheel must be there, as the flow's
 * rebuild installs with uv.
 */
export function judgeArtifactMembers(members: string[]): string | undefined {
  const names = members.map((m) => m.trim()).filter(Boolean);
  const other = names.filter((m) => !CACHE_FOLDERS.some((f) => m === f || m === `${f}/` || m.startsWith(`${f}/`)));
  if (other.length) return `save-artifacts archived more than the download caches: ${other.slice(0, 5).join(", ")}${other.length > 5 ? ", ..." : ""}`;
  if (!names.some((m) => m.startsWith("uv/") && m !== "uv/")) return `save-artifacts archived no uv cache (members: ${names.slice(0, 5).join(", ") || "none"})`;
  if (!names.some((m) => /^uv-wheel\/uv-[^/]+\.whl$/.test(m)))
    return "save-artifacts archived no uv wheel (uv-wheel/uv-*.whl): the rebuild would download uv again";
  return undefined;
}

/** The rebuild's assemble output says it took the handed-over caches, and uv from its kept wheel. */
export function judgeRebuildLog(log: string): string | undefined {
  const line = log.split("\n").find((l) => l.startsWith(CACHE_TAKEN));
  if (!line) return `the rebuild's assemble did not print "${CACHE_TAKEN}...)": it did not take the archive from /tmp/artifacts`;
  if (!line.slice(CACHE_TAKEN.length).replace(/\)$/, "").split(" ").includes("uv")) return `the rebuild took no uv cache: ${line}`;
  if (!log.split("\n").includes(UV_FROM_CACHE)) return `the rebuild did not print "${UV_FROM_CACHE}": it installed uv from the index again`;
  return undefined;
}
