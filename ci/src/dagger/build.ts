import { dag, type Container, type File, type Secret } from "@dagger.io/dagger";
import type { Renderer } from "../render/render.js";
import { dockerfilePath } from "../matrix/select.js";
import type { Target } from "../matrix/types.js";
import { filesToDirectory } from "./files.js";

/** The build secret a Dockerfile mounts with `RUN --mount=type=secret,id=extra-ca`. */
export const EXTRA_CA_SECRET = "extra-ca";

/** An extra CA bundle as a build secret: build-time only, never a file in the image. */
export async function extraCaSecret(extraCa: File): Promise<Secret> {
  return dag.setSecret(EXTRA_CA_SECRET, await extraCa.contents());
}

/**
 * Builds one image from its rendered Dockerfile. The build context holds only this
 * target's files (its Dockerfile and what it COPYs), so editing another version or distro
 * never invalidates this image's cache.
 */
export function buildImage(renderer: Renderer, t: Target, extraCa?: Secret): Container {
  const context = filesToDirectory(renderer.buildContext(t));
  return context.dockerBuild({ dockerfile: dockerfilePath(t), secrets: extraCa ? [extraCa] : undefined });
}
