import { dag, type Container, type File, type Secret, type Service } from "@dagger.io/dagger";
import { targetImageName } from "../../spec/image.js";
import type { Target } from "../../spec/types.js";
import { toJson } from "../../verify/report-formats.js";
import type { CheckResult } from "../../verify/results.js";
import type { Base } from "../base-images.js";
import { provenancePredicate } from "../provenance.js";
import { registryHost } from "../registry-host.js";
import { SBOM_FORMATS, type SbomFormat } from "../sbom-format.js";
import { attachToImage } from "./attach.js";
import { sbomsOf } from "./sbom.js";

/** What publish knows about the build, for the provenance. */
export interface BuildRecord {
  target: Target;
  dockerfile: { path: string; content: string };
  bases: Base[];
  started: Date;
  /** When the push ended (the SBOMs and attestations come after). */
  finished?: Date;
  results: CheckResult[];
  secrets: string[];
  buildArgs: Record<string, string>;
  gitSha?: string;
  sourceRepository?: string;
  sourceDateEpoch?: number;
  pythonVersion: string;
}

export interface SigningArgs {
  signKey?: Secret;
  signKeyPassword?: Secret;
  registryService?: Service;
  username?: string;
  password?: Secret;
  extraCa?: File;
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** The OCI annotations of the image about its base (the final stage's FROM) and its source. */
export function withSourceAnnotations(image: Container, r: BuildRecord): Container {
  const base = r.bases[r.bases.length - 1];
  let c = image.withAnnotation("org.opencontainers.image.base.name", base.name).withAnnotation("org.opencontainers.image.base.digest", base.digest);
  if (r.gitSha) c = c.withAnnotation("org.opencontainers.image.revision", r.gitSha);
  if (r.sourceRepository) c = c.withAnnotation("org.opencontainers.image.source", r.sourceRepository);
  return c;
}

/**
 * After the push: each platform's SBOMs (syft, one scan of each of `images`, given before any
 * annotation of the manifest), the provenance, and the signature and attestations beside the
 * pushed image (cosign). Prints how long each part took (stderr) and returns the line saying
 * what was attached.
 */
export async function attachSupplyChain(images: Container[], repo: string, pushed: string, r: BuildRecord, s: SigningArgs): Promise<string> {
  const host = registryHost(repo);
  let t0 = performance.now();
  const sboms = new Map<string, Map<SbomFormat, File>>();
  for (const image of images) {
    const byFormat = new Map<SbomFormat, File>();
    const dir = await sbomsOf(image, targetImageName(r.target), r.pythonVersion, s.extraCa).sync();
    for (const f of Object.keys(SBOM_FORMATS) as SbomFormat[]) byFormat.set(f, dir.file(SBOM_FORMATS[f].file));
    sboms.set(await image.platform(), byFormat);
  }
  const sbomTime = seconds(t0);
  t0 = performance.now();
  const provenance = provenancePredicate({
    version: r.target.version.key,
    distro: r.target.distro.id,
    platforms: [...sboms.keys()],
    sourceRepository: r.sourceRepository,
    gitSha: r.gitSha,
    sourceDateEpoch: r.sourceDateEpoch,
    dockerfile: r.dockerfile,
    bases: r.bases,
    secrets: r.secrets,
    buildArgs: r.buildArgs,
    builder: { id: "urn:s2i-python:dagger-module", version: { dagger: await dag.version() } },
    started: r.started,
    finished: r.finished ?? new Date(),
    reportJson: toJson({ started: r.started.toISOString(), results: r.results }),
  });
  const provenanceTime = seconds(t0);
  t0 = performance.now();
  const access = { host, username: s.username, password: s.password, service: s.registryService, extraCa: s.extraCa };
  const line = await attachToImage({ access, repo, pushed, sboms, provenance, signKey: s.signKey, signKeyPassword: s.signKeyPassword });
  console.error(
    `[publish] ${repo}: SBOMs ${sbomTime} s, provenance ${provenanceTime} s, ${s.signKey ? "signing and attestations" : "attestations"} ${seconds(t0)} s`,
  );
  return line;
}
