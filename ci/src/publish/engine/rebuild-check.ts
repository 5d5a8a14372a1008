import type { File } from "@dagger.io/dagger";
import { recordedBases, rebuildVerdict } from "../base-images.js";
import type { ProvenancePredicate } from "../provenance.js";
import { resolveBases } from "./base-digests.js";
import { attestationsOf, resolveDigest, type Published } from "./published-image.js";
import { registryTools } from "./registry-tools.js";

/**
 * Whether a published image needs a rebuild: "rebuild: why" when nothing is published there,
 * when it has no provenance (none that verifies with the key, if one is given), or when a base
 * image its provenance records resolves to another digest now; else "current: ...".
 */
export async function rebuildCheck(p: Published, key?: File): Promise<string> {
  const tools = registryTools(p.access);
  const digest = await resolveDigest(p, tools);
  if (!digest) return `rebuild: nothing is published at ${p.ref}`;
  let statements;
  try {
    statements = await attestationsOf(p, tools, digest, "slsaprovenance1", key);
  } catch (e) {
    return `rebuild: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!statements.length) return `rebuild: ${p.ref} (${digest}) has no provenance`;
  const recorded = recordedBases(statements[statements.length - 1].predicate as ProvenancePredicate);
  return rebuildVerdict(recorded, await resolveBases(recorded.map((b) => b.name)));
}
