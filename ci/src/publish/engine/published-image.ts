import { dag, type Container, type File } from "@dagger.io/dagger";
import { VerificationError } from "../../errors.js";
import { withoutTraceIds } from "../../verify/error-text.js";
import { platformImages } from "../attach-plan.js";
import { decodeEnvelopes, PREDICATE_TYPES, type Statement } from "../attestations.js";
import { shq } from "../registry-host.js";
import { SBOM_FORMATS, type SbomFormat } from "../sbom-format.js";
import { judgePublished, type SbomSeen } from "../published-judges.js";
import { registryTools, runWithRegistry, type RegistryAccess } from "./registry-tools.js";
import { pythonVersionOf } from "./push.js";

const tail = (text: string) => withoutTraceIds(text).trim().split("\n").slice(-2).join(" | ").slice(0, 500);

/** A published reference: REGISTRY/NAME with a tag or a digest. */
export interface Published {
  access: RegistryAccess;
  ref: string;
}

const repoOf = (ref: string) => ref.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^:/]+$/, "");

/** The digest a reference names now (a tag is resolved in the registry). */
export async function resolveDigest(p: Published, tools: Container): Promise<string | undefined> {
  if (/@sha256:[0-9a-f]{64}$/.test(p.ref)) return p.ref.split("@")[1];
  const r = await runWithRegistry(tools, p.access, [`crane digest ${shq(p.ref)}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The statements of one predicate type attached to a digest: verified with the key, or read unverified without one. */
export async function attestationsOf(p: Published, tools: Container, digest: string, cosignType: string, key?: File): Promise<Statement[]> {
  const ref = shq(`${repoOf(p.ref)}@${digest}`);
  const line = key
    ? `cosign verify-attestation --key /work/key.pub --insecure-ignore-tlog=true --type ${cosignType} ${ref}`
    : `cosign download attestation ${ref}`;
  const r = await runWithRegistry(key ? tools.withMountedFile("/work/key.pub", key) : tools, p.access, [line]);
  if (r.code !== 0) throw new VerificationError(`${p.ref}: the ${cosignType} attestation of ${digest} does not verify: ${tail(r.stderr)}`);
  return decodeEnvelopes(r.stdout).filter((s) => s.predicateType === PREDICATE_TYPES[cosignType]);
}

/**
 * Verifies a published image with a public key: the signature of its digest, the provenance
 * and every platform's SBOMs (signed, each about its digest), the SBOM's Python against the
 * image's own. Returns the lines to print; throws VerificationError naming what failed.
 */
export async function verifyPublished(p: Published, key: File): Promise<string> {
  const tools = registryTools(p.access).withMountedFile("/work/key.pub", key);
  const digest = await resolveDigest(p, tools);
  if (!digest) throw new VerificationError(`${p.ref}: the registry has no such image`);
  const repo = repoOf(p.ref);
  const sig = await runWithRegistry(tools, p.access, [`cosign verify --key /work/key.pub --insecure-ignore-tlog=true ${shq(`${repo}@${digest}`)}`]);
  if (sig.code !== 0) throw new VerificationError(`${p.ref} (${digest}): no valid signature by this key: ${tail(sig.stderr)}`);
  const manifest = await runWithRegistry(tools, p.access, [`crane manifest ${shq(`${repo}@${digest}`)}`]);
  if (manifest.code !== 0) throw new VerificationError(`${p.ref}: its manifest cannot be read: ${tail(manifest.stderr)}`);
  const { username, password, host } = p.access;
  const image = (username && password ? dag.container().withRegistryAuth(host, username, password) : dag.container()).from(`${repo}@${digest}`);
  const platforms = platformImages(manifest.stdout, digest, await image.platform());
  const provenance = await attestationsOf(p, tools, digest, "slsaprovenance1", key);
  const sboms: SbomSeen[] = [];
  for (const pl of platforms) {
    for (const format of Object.keys(SBOM_FORMATS) as SbomFormat[]) {
      const statements = await attestationsOf(p, tools, pl.digest, SBOM_FORMATS[format].cosignType, key);
      sboms.push({ platform: pl.platform, digest: pl.digest, format, statements });
    }
  }
  return judgePublished({ ref: p.ref, digest, provenance, sboms, imagePython: await pythonVersionOf(image) }).join("\n");
}
