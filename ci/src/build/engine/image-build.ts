import type { Container, Platform, Secret } from "@dagger.io/dagger";
import { dockerfilePath } from "../../spec/select.js";
import { buildReadsExtraCa, EXTRA_CA_SECRET, SUBSCRIPTION_SECRETS } from "../inputs.js";
import type { Target } from "../../spec/types.js";
import type { Renderer } from "../../render/render.js";
import { filesToDirectory } from "../../render/engine/files-to-directory.js";

/** The build arguments the Dockerfiles declare (ARG): inputs of the build, never of the image. */
export const BUILD_ARGS = ["APT_MIRROR", "SOURCE_DATE_EPOCH"] as const;

/** Every build secret a Dockerfile may mount. */
const BUILD_SECRET_IDS = [EXTRA_CA_SECRET, ...SUBSCRIPTION_SECRETS.map((s) => s.id)];

/** What a build may be given besides its Dockerfile; everything in it stays out of the image. */
export interface BuildInputs {
  /** A CA bundle for the steps that fetch over https (build secret extra-ca). */
  extraCa?: Secret;
  /** A Red Hat subscription as build secrets (RHEL targets only). */
  subscription?: Secret[];
  /** Replaces http://deb.debian.org in the apt sources of the install step (Debian targets). */
  aptMirror?: string;
  /** The platform to build for (default: the engine's own). */
  platform?: Platform;
  /** SOURCE_DATE_EPOCH, a build argument: the time the build's own files and records carry (the commit's). */
  sourceDateEpoch?: number;
}

/**
 * Builds one image from its rendered Dockerfile. The build context holds only this
 * target's files (its Dockerfile and what it COPYs), so editing another version or distro
 * never invalidates this image's cache.
 */
export function buildImage(renderer: Renderer, t: Target, inputs: BuildInputs = {}): Container {
  // With SOURCE_DATE_EPOCH, the files the build COPYs carry that time too (else the time they were written here).
  const files = filesToDirectory(renderer.buildContext(t));
  const context = inputs.sourceDateEpoch !== undefined ? files.withTimestamps(inputs.sourceDateEpoch) : files;
  const ca = inputs.extraCa && buildReadsExtraCa(t, inputs.aptMirror) ? [inputs.extraCa] : [];
  const secrets = [...ca, ...(inputs.subscription ?? [])];
  const buildArgs = [
    ...(inputs.aptMirror ? [{ name: "APT_MIRROR", value: inputs.aptMirror }] : []),
    ...(inputs.sourceDateEpoch !== undefined ? [{ name: "SOURCE_DATE_EPOCH", value: String(inputs.sourceDateEpoch) }] : []),
  ];
  const image = context.dockerBuild({
    dockerfile: dockerfilePath(t),
    platform: inputs.platform,
    secrets: secrets.length ? secrets : undefined,
    buildArgs: buildArgs.length ? buildArgs : undefined,
  });
  // dockerBuild keeps the Dockerfile's ARGs in the image's environment (APT_MIRROR= was in every
  // published image), and its secrets mounted at /run/secrets/ID in every container run from the
  // Container it returns: build inputs stay out of both, so the apps run as a user's would.
  const withoutArgs = BUILD_ARGS.reduce((c, name) => c.withoutEnvVariable(name), image);
  return BUILD_SECRET_IDS.reduce((c, id) => c.withoutMount(`/run/secrets/${id}`), withoutArgs);
}
