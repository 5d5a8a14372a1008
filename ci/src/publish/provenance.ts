/**
 * The provenance of a published image: an in-toto statement (v1) whose predicate is SLSA
 * provenance v1. It names the source (repository and commit), the rendered Dockerfile and each
 * base image by digest, the build inputs (secrets by name only, never a value), the builder,
 * when the build started and ended, and the sample-app report the image passed (by digest, its
 * JSON carried along so that a consumer can read which checks those were).
 */
import { createHash } from "node:crypto";

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
/** What this pipeline's build is, for a reader of the predicate. */
export const BUILD_TYPE = "urn:s2i-python:dagger-publish:v1";
/** The resolvedDependencies annotation that marks a base image (what a rebuild check compares). */
export const ROLE = "s2i-python.role";
export const REPORT_MEDIA_TYPE = "application/vnd.s2i-python.report.v1+json";

export const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

export interface ResourceDescriptor {
  uri?: string;
  name?: string;
  digest?: Record<string, string>;
  mediaType?: string;
  content?: string;
  annotations?: Record<string, string>;
}

export interface ProvenanceInputs {
  /** Version key and distro: what was built. */
  version: string;
  distro: string;
  platforms: string[];
  /** Where the source lives (e.g. https://github.com/org/s2i-python) and the commit; either may be unknown. */
  sourceRepository?: string;
  gitSha?: string;
  sourceDateEpoch?: number;
  dockerfile: { path: string; content: string };
  /** Each base image as the Dockerfile names it, with the digest it resolved to. */
  bases: { name: string; digest: string }[];
  /** The build secrets given, by name; their values never reach this code. */
  secrets: string[];
  buildArgs: Record<string, string>;
  builder: { id: string; version: Record<string, string> };
  started: Date;
  finished: Date;
  /** The sample-app report's results.json, as `test` exports it. */
  reportJson: string;
}

/** The SLSA v1 predicate (cosign wraps it in the statement and signs it). */
export function provenancePredicate(p: ProvenanceInputs) {
  const source: ResourceDescriptor = {
    uri: p.sourceRepository ? `git+${p.sourceRepository}` : "unrecorded: publish was given no --source-repository",
    ...(p.gitSha ? { digest: { gitCommit: p.gitSha } } : {}),
    annotations: { [ROLE]: "source" },
  };
  const dockerfile: ResourceDescriptor = {
    name: p.dockerfile.path,
    digest: { sha256: sha256(p.dockerfile.content) },
    annotations: { [ROLE]: "dockerfile" },
  };
  const bases: ResourceDescriptor[] = p.bases.map((b) => ({
    uri: `docker://${b.name}`,
    name: b.name,
    digest: { sha256: b.digest.replace(/^sha256:/, "") },
    annotations: { [ROLE]: "base-image" },
  }));
  return {
    buildDefinition: {
      buildType: BUILD_TYPE,
      externalParameters: {
        version: p.version,
        distro: p.distro,
        platforms: p.platforms,
        ...(p.gitSha ? { gitSha: p.gitSha } : {}),
        ...(p.sourceDateEpoch !== undefined ? { sourceDateEpoch: p.sourceDateEpoch } : {}),
      },
      internalParameters: { buildSecrets: p.secrets, buildArgs: p.buildArgs },
      resolvedDependencies: [source, dockerfile, ...bases],
    },
    runDetails: {
      builder: p.builder,
      metadata: { startedOn: p.started.toISOString(), finishedOn: p.finished.toISOString() },
      byproducts: [
        {
          name: "sample-app report (results.json)",
          digest: { sha256: sha256(p.reportJson) },
          mediaType: REPORT_MEDIA_TYPE,
          content: Buffer.from(p.reportJson).toString("base64"),
        },
      ],
    },
  };
}

export type ProvenancePredicate = ReturnType<typeof provenancePredicate>;
