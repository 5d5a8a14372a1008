/**
 * In-toto statements as cosign stores them beside an image (DSSE envelopes in the `.att`
 * tag), read back and judged: each must name the digest it is attached to.
 */
import { SBOM_FORMATS, type SbomFormat } from "./sbom-format.js";
import { SLSA_PROVENANCE_V1, STATEMENT_TYPE } from "./provenance.js";

/** The predicate type cosign writes for each `--type` it is given. */
export const PREDICATE_TYPES: Record<string, string> = {
  slsaprovenance1: SLSA_PROVENANCE_V1,
  spdxjson: "https://spdx.dev/Document",
  cyclonedx: "https://cyclonedx.org/bom",
};

export const sbomPredicateType = (f: SbomFormat) => PREDICATE_TYPES[SBOM_FORMATS[f].cosignType];

export interface Statement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: unknown;
}

export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}

export const IN_TOTO_PAYLOAD = "application/vnd.in-toto+json";

/** A statement about one image digest. */
export function statementFor(name: string, digest: string, predicateType: string, predicate: unknown): Statement {
  return { _type: STATEMENT_TYPE, subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, "") } }], predicateType, predicate };
}

/**
 * A DSSE envelope without a valid signature: what publish attaches when it was given no key.
 * Its one signature is empty, because cosign (v2.6.1) refuses to attach an envelope with none;
 * an empty one verifies against no key.
 */
export function unsignedEnvelope(s: Statement): Envelope {
  return { payloadType: IN_TOTO_PAYLOAD, payload: Buffer.from(JSON.stringify(s)).toString("base64"), signatures: [{ keyid: "", sig: "" }] };
}

/** The statements of cosign's output: one DSSE envelope (JSON) a line. */
export function decodeEnvelopes(text: string): Statement[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Envelope)
    .filter((e) => e.payloadType === IN_TOTO_PAYLOAD)
    .map((e) => JSON.parse(Buffer.from(e.payload, "base64").toString("utf8")) as Statement);
}

/** Why statements do not belong to `digest` (a subject names another), or undefined when each names it. */
export function subjectMismatch(statements: Statement[], digest: string, what: string): string | undefined {
  const want = digest.replace(/^sha256:/, "");
  for (const s of statements) {
    const got = s.subject.map((x) => x.digest.sha256);
    if (!got.includes(want)) return `the ${what} attestation is about ${got.map((d) => `sha256:${d}`).join(", ") || "no digest"}, not sha256:${want}`;
  }
  return undefined;
}
