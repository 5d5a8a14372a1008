/**
 * The verdict on a published image, from what cosign verified and what the attestations say:
 * each attestation names the verified digest, the SBOM's Python is the image's, and the
 * provenance tells the source commit and the checks the image passed.
 */
import { VerificationError } from "../errors.js";
import { subjectMismatch, type Statement } from "./attestations.js";
import { recordedBases } from "./base-images.js";
import { ROLE, type ProvenancePredicate } from "./provenance.js";
import { repositoryOf } from "./registry-host.js";
import { sbomPackages, sbomPythonVersion } from "./sbom-read.js";
import type { Report } from "../verify/results.js";

export interface SbomSeen {
  platform: string;
  digest: string;
  format: string;
  statements: Statement[];
}

/** Reads the predicate of exactly one statement of a kind: none, or two that disagree, is a failure. */
function one(statements: Statement[], what: string, ref: string): Statement {
  if (!statements.length) throw new VerificationError(`${ref}: no ${what} attestation signed by this key`);
  return statements[statements.length - 1];
}

/** The lines verify prints; throws VerificationError naming the first problem. */
export function judgePublished(a: { ref: string; digest: string; provenance: Statement[]; sboms: SbomSeen[]; imagePython: string }): string[] {
  const fail = (why: string) => {
    throw new VerificationError(`${a.ref}: ${why}`);
  };
  const bad = subjectMismatch(a.provenance, a.digest, "provenance");
  if (bad) fail(bad);
  const prov = one(a.provenance, "provenance", a.ref).predicate as ProvenancePredicate;
  const xy = a.imagePython.split(".").slice(0, 2).join(".");
  const lines = [`verified ${repositoryOf(a.ref)}@${a.digest}: signed by the given key`];
  for (const s of a.sboms) {
    const mismatch = subjectMismatch(s.statements, s.digest, `${s.format} SBOM (${s.platform})`);
    if (mismatch) fail(mismatch);
    const pkgs = sbomPackages(JSON.stringify(one(s.statements, `${s.format} SBOM (${s.platform})`, a.ref).predicate));
    const py = sbomPythonVersion(pkgs, xy);
    if (py !== a.imagePython) fail(`the ${s.format} SBOM (${s.platform}) records Python ${py ?? "nowhere"}, the image runs ${a.imagePython}`);
    lines.push(`sbom ${s.format} (${s.platform}, ${s.digest}): signed, ${pkgs.length} packages, Python ${py} as the image reports`);
  }
  const deps = prov.buildDefinition.resolvedDependencies;
  const source = deps.find((d) => d.annotations?.[ROLE] === "source");
  const dockerfile = deps.find((d) => d.annotations?.[ROLE] === "dockerfile");
  lines.push(`provenance: signed, about ${a.digest}`);
  lines.push(`source: ${source?.uri ?? "unrecorded"} commit ${source?.digest?.gitCommit ?? "unrecorded"}`);
  lines.push(`dockerfile: ${dockerfile?.name} sha256:${dockerfile?.digest?.sha256}`);
  for (const b of recordedBases(prov)) lines.push(`base image: ${b.name}@${b.digest}`);
  lines.push(`built: ${prov.runDetails.metadata.startedOn} to ${prov.runDetails.metadata.finishedOn} by ${prov.runDetails.builder.id}`);
  const report = prov.runDetails.byproducts.find((b) => b.content);
  const results = report ? (JSON.parse(Buffer.from(report.content, "base64").toString("utf8")) as Report).results : [];
  const passed = results.filter((r) => r.outcome === "pass");
  lines.push(`checks passed (${passed.length} of ${results.length}, report sha256:${report?.digest.sha256 ?? "none"}):`);
  for (const r of passed) lines.push(`  ${r.name} on ${r.image}`);
  return lines;
}
