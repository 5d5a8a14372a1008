import type { Container, Secret } from "@dagger.io/dagger";
import { PublishError } from "../../errors.js";
import { targetImageName } from "../../spec/image.js";
import type { Target } from "../../spec/types.js";
import type { PublishArgs } from "../publish-args.js";
import { pushFailure, pythonVersionTag } from "../tags.js";

/** The Python version inside the image, e.g. 3.12.9. */
export async function pythonVersionOf(image: Container): Promise<string> {
  return pythonVersionTag(await image.withExec(["python3", "-c", "import platform; print(platform.python_version())"]).stdout());
}

/**
 * Pushes the image (one per platform: an image index) under every tag, the first tag first: a refusal (credentials,
 * registry down) then stops the publish before any tag exists. A registry writes a tag
 * only once the whole image is there, so no tag is ever half-written. Returns the
 * references with their digests, in tag order.
 */
export async function publishTags(images: Container[], target: Target, a: PublishArgs<Secret>, tags: string[]): Promise<string[]> {
  const repo = `${a.repository}/${a.name ?? targetImageName(target)}`;
  const host = a.repository.split("/")[0];
  const [first, ...others] = images;
  const authed = a.username && a.password ? first.withRegistryAuth(host, a.username, a.password) : first;
  const refs: string[] = [];
  for (const tag of tags) {
    const ref = `${repo}:${tag}`;
    try {
      // Several platforms: one image index under the tag, each platform's image in it.
      refs.push(await authed.publish(ref, others.length ? { platformVariants: others } : undefined));
    } catch (e) {
      throw new PublishError(refs.length ? `${pushFailure(ref, e)} (already pushed: ${refs.join(", ")})` : pushFailure(ref, e));
    }
  }
  return refs;
}
