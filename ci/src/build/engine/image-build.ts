import type { Container, Platform, Secret } from "@dagger.io/dagger";
import { dockerfilePath } from "../../spec/select.js";
import type { Target } from "../../spec/types.js";
import type { Renderer } from "../../render/render.js";
import { filesToDirectory } from "../../render/engine/files-to-directory.js";

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
  const context = filesToDirectory(renderer.buildContext(t));
  const secrets = [...(inputs.extraCa ? [inputs.extraCa] : []), ...(inputs.subscription ?? [])];
  const buildArgs = [
    ...(inputs.aptMirror ? [{ name: "APT_MIRROR", value: inputs.aptMirror }] : []),
    ...(inputs.sourceDateEpoch !== undefined ? [{ name: "SOURCE_DATE_EPOCH", value: String(inputs.sourceDateEpoch) }] : []),
  ];
  return context.dockerBuild({
    dockerfile: dockerfilePath(t),
    platform: inputs.platform,
    secrets: secrets.length ? secrets : undefined,
    buildArgs: buildArgs.length ? buildArgs : undefined,
  });
}
