import { dag, type Platform } from "@dagger.io/dagger";
import { digestOfRef, type Base } from "../base-images.js";

/** The digest each base image resolves to now, as the engine pulls it (Container.from, then its image reference). */
export async function resolveBases(names: string[], platform?: Platform): Promise<Base[]> {
  const out: Base[] = [];
  for (const name of names) out.push({ name, digest: digestOfRef(await dag.container({ platform }).from(name).imageRef()) });
  return out;
}
