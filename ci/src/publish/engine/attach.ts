import type { Container, File, Secret } from "@dagger.io/dagger";
import { PublishError } from "../../errors.js";
import { withoutTraceIds } from "../../verify/error-text.js";
import { attachLines, attachments, platformImages, type PlatformImage } from "../attach-plan.js";
import { PREDICATE_TYPES, statementFor, unsignedEnvelope } from "../attestations.js";
import { shq } from "../registry-host.js";
import type { SbomFormat } from "../sbom-format.js";
import { registryTools, runWithRegistry, type RegistryAccess } from "./registry-tools.js";

export interface AttachArgs {
  access: RegistryAccess;
  /** registry/namespace/name, and the digest the tags point at. */
  repo: string;
  pushed: string;
  /** The SBOM files of each platform's image, by platform (linux/amd64). */
  sboms: Map<string, Map<SbomFormat, File>>;
  provenance: object;
  signKey?: Secret;
  signKeyPassword?: Secret;
}

/** The last lines of a failed tool run, for a one-line error. */
const tail = (text: string) => withoutTraceIds(text).trim().split("\n").slice(-3).join(" | ").slice(0, 600);

/** The images of each platform under the pushed digest (an image index lists them). */
async function platformsOf(a: AttachArgs, tools: Container): Promise<PlatformImage[]> {
  const r = await runWithRegistry(tools, a.access, [`crane manifest ${shq(`${a.repo}@${a.pushed}`)}`]);
  if (r.code !== 0) throw new PublishError(`reading the manifest of ${a.repo}@${a.pushed} back failed: ${tail(r.stderr)}`);
  return platformImages(r.stdout, a.pushed, [...a.sboms.keys()][0]);
}

/**
 * Signs the pushed digest and attaches its provenance and each platform's SBOMs beside it in
 * the same repository (cosign's `.sig` and `.att` tags). Without a key, the statements go
 * unsigned. Returns one line saying what was attached.
 */
export async function attachToImage(a: AttachArgs): Promise<string> {
  let tools = registryTools(a.access);
  const platforms = await platformsOf(a, tools);
  const formats = [...([...a.sboms.values()][0]?.keys() ?? [])];
  const list = attachments(a.pushed, platforms, formats);
  const signed = Boolean(a.signKey);
  for (const item of list) {
    const platform = item.sbom && platforms[item.sbom.platform].platform;
    const file = item.sbom && a.sboms.get(platform!)?.get(item.sbom.format);
    if (item.sbom && !file) throw new PublishError(`no SBOM was made for ${platform}, which ${a.repo}@${a.pushed} holds`);
    if (signed) {
      tools = file ? tools.withFile(item.file, file) : tools.withNewFile(item.file, JSON.stringify(a.provenance));
    } else {
      const predicate = file ? JSON.parse(await file.contents()) : a.provenance;
      const statement = statementFor(a.repo, item.digest, PREDICATE_TYPES[item.cosignType], predicate);
      tools = tools.withNewFile(item.file, JSON.stringify(unsignedEnvelope(statement)));
    }
  }
  if (a.signKey) {
    tools = tools.withSecretVariable("COSIGN_PRIVATE_KEY", a.signKey);
    tools = a.signKeyPassword ? tools.withSecretVariable("COSIGN_PASSWORD", a.signKeyPassword) : tools.withEnvVariable("COSIGN_PASSWORD", "");
  }
  const r = await runWithRegistry(tools, a.access, attachLines(a.repo, a.pushed, list, signed, platforms.length > 1 || platforms[0].digest !== a.pushed));
  if (r.code !== 0)
    throw new PublishError(`attaching the ${signed ? "signature and attestations" : "attestations"} to ${a.repo}@${a.pushed} failed: ${tail(r.stderr)}`);
  const what = `provenance and ${list.length - 1} SBOM${list.length === 2 ? "" : "s"} (${formats.join(", ")}) for ${platforms.map((p) => p.platform).join(", ")}`;
  return signed ? `signed ${a.repo}@${a.pushed}; attached ${what}, signed` : `attached ${what} UNSIGNED (no --sign-key given)`;
}
