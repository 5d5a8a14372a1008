/**
 * What publish attaches beside a pushed image, as cosign command lines: a signature of the
 * pushed digest, the provenance about it, and each platform's SBOMs about that platform's
 * image. With a key they are signed (cosign sign / attest, key-based, no transparency log);
 * without one the same statements go in unsigned DSSE envelopes (cosign attach attestation).
 */
import { shq } from "./registry-host.js";
import { SBOM_FORMATS, type SbomFormat } from "./sbom-format.js";

export interface PlatformImage {
  platform: string;
  digest: string;
}

/** A statement to attach: the file cosign reads (a predicate, or an envelope when unsigned), the subject, its type. */
export interface Attachment {
  file: string;
  digest: string;
  cosignType: string;
  /** For an SBOM: which platform's image (index into the platforms) and which format. */
  sbom?: { platform: number; format: SbomFormat };
}

/** The files the attachments are read from, under /work: provenance, then each platform's SBOM in each format. */
export function attachments(pushed: string, platforms: PlatformImage[], formats: SbomFormat[]): Attachment[] {
  const list: Attachment[] = [{ file: "/work/provenance.json", digest: pushed, cosignType: "slsaprovenance1" }];
  platforms.forEach((p, i) => {
    for (const f of formats)
      list.push({ file: `/work/${i}/${SBOM_FORMATS[f].file}`, digest: p.digest, cosignType: SBOM_FORMATS[f].cosignType, sbom: { platform: i, format: f } });
  });
  return list;
}

/** The cosign lines: sign (recursively for an image index) and attest with the key, or attach the unsigned envelopes. */
export function attachLines(repo: string, pushed: string, list: Attachment[], signed: boolean, index: boolean): string[] {
  const ref = (d: string) => shq(`${repo}@${d}`);
  if (!signed) return list.map((a) => `cosign attach attestation --attestation ${a.file} ${ref(a.digest)}`);
  const key = "--yes --key env://COSIGN_PRIVATE_KEY --tlog-upload=false";
  return [
    `cosign sign ${key}${index ? " --recursive" : ""} ${ref(pushed)}`,
    ...list.map((a) => `cosign attest ${key} --type ${a.cosignType} --predicate ${a.file} ${ref(a.digest)}`),
  ];
}

/** The platforms' images of a pushed reference, from its manifest (crane manifest): an index lists them, an image is its own. */
export function platformImages(manifestJson: string, pushed: string, platform: string): PlatformImage[] {
  const m = JSON.parse(manifestJson) as { manifests?: { digest: string; platform?: { os: string; architecture: string; variant?: string } }[] };
  if (!m.manifests) return [{ platform, digest: pushed }];
  return m.manifests
    .filter((x) => x.platform && x.platform.os !== "unknown")
    .map((x) => ({ platform: [x.platform!.os, x.platform!.architecture, x.platform!.variant].filter(Boolean).join("/"), digest: x.digest }));
}
