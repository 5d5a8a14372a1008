/** The base images of a rendered Dockerfile, and whether the ones a provenance records have moved since. */
import { ROLE, type ProvenancePredicate } from "./provenance.js";

/** The images the Dockerfile's FROM lines name (a FROM of an earlier stage is not a base), in order, once each. */
export function fromImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const m of dockerfile.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/gim)) {
    if (!stages.has(m[1].toLowerCase()) && !images.includes(m[1])) images.push(m[1]);
    if (m[2]) stages.add(m[2].toLowerCase());
  }
  return images;
}

/** The digest of an image reference that carries one: sha256:... of name:tag@sha256:... */
export function digestOfRef(ref: string): string {
  const m = /@(sha256:[0-9a-f]{64})$/.exec(ref);
  if (!m) throw new Error(`"${ref}" names no digest`);
  return m[1];
}

export interface Base {
  name: string;
  digest: string;
}

/** The base images a provenance predicate records. */
export function recordedBases(p: ProvenancePredicate): Base[] {
  return p.buildDefinition.resolvedDependencies
    .filter((d) => d.annotations?.[ROLE] === "base-image" && d.name && d.digest?.sha256)
    .map((d) => ({ name: d.name!, digest: `sha256:${d.digest!.sha256}` }));
}

/** The answer of a rebuild check: "rebuild: why" when a base moved (or nothing is recorded), else "current: ...". */
export function rebuildVerdict(recorded: Base[], current: Base[]): string {
  if (!recorded.length) return "rebuild: the published provenance records no base image";
  const moved = recorded.flatMap((r) => {
    const now = current.find((c) => c.name === r.name);
    if (!now) return [`${r.name} could not be resolved`];
    return now.digest === r.digest ? [] : [`${r.name} moved from ${r.digest} to ${now.digest}`];
  });
  return moved.length ? `rebuild: ${moved.join("; ")}` : `current: ${recorded.map((r) => `${r.name}@${r.digest}`).join(", ")} unchanged`;
}
