/**
 * Attestations as they lie in the registry (cosign's `.att` tag: one DSSE envelope a layer),
 * read without a key, and a forged one for the red cases: an unsigned statement put where
 * cosign looks for an image's attestations.
 */
import { decodeEnvelopes, statementFor, unsignedEnvelope, type Statement } from "../../ci/src/publish/attestations.js";
import { SLSA_PROVENANCE_V1 } from "../../ci/src/publish/provenance.js";
import { manifestOf, putBlob, putManifest } from "./registry-api.js";

export type { Statement };

/** The statement(s) of one envelope blob's text. */
export function statements(envelopeText: string): Statement[] {
  return decodeEnvelopes(envelopeText.replace(/\n/g, " "));
}

/** Puts an unsigned provenance statement with `predicate` as the only attestation of the image a tag names now. */
export async function forgeAttestation(registry: string, repo: string, tag: string, predicate: unknown): Promise<void> {
  const { digest } = await manifestOf(`${registry}/${repo}:${tag}`);
  const envelope = Buffer.from(JSON.stringify(unsignedEnvelope(statementFor(`${registry}/${repo}`, digest, SLSA_PROVENANCE_V1, predicate))));
  const config = Buffer.from("{}");
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: await putBlob(registry, repo, config), size: config.length },
    layers: [
      {
        mediaType: "application/vnd.dsse.envelope.v1+json",
        digest: await putBlob(registry, repo, envelope),
        size: envelope.length,
        annotations: { predicateType: SLSA_PROVENANCE_V1 },
      },
    ],
  };
  await putManifest(registry, repo, `sha256-${digest.slice(7)}.att`, JSON.stringify(manifest), manifest.mediaType);
}
