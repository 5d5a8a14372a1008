import type { Container, Secret } from "@dagger.io/dagger";
import { PublishError, UsageError } from "../errors.js";
import { targetImageName } from "../matrix/image.js";
import type { Target } from "../matrix/types.js";
import { withoutTraceIds } from "./probe.js";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA = /^[0-9a-f]{7,40}$/;
/** A registry host (with an optional port) and a namespace path: quay.io/myorg, 127.0.0.1:5000/s2i. */
const REPOSITORY = /^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;
const NAME = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

export interface PublishArgs {
  repository: string;
  name?: string;
  username?: string;
  password?: Secret;
  tags: string[];
  gitSha?: string;
}

/** Checks the publish arguments before anything is built: one line naming what is wrong. */
export function checkPublishArgs(a: PublishArgs): void {
  if (!REPOSITORY.test(a.repository)) {
    throw new UsageError(`--repository "${a.repository}" is not a registry and namespace such as quay.io/myorg or 127.0.0.1:5000/s2i`);
  }
  if (a.name !== undefined && !NAME.test(a.name)) throw new UsageError(`--name "${a.name}" is not an image name such as python-312-minimal-c9s (lower case, digits, . _ -)`);
  const bad = a.tags.filter((t) => !TAG.test(t));
  if (bad.length) throw new UsageError(`invalid tag ${bad.map((t) => `"${t}"`).join(", ")}; a tag is 1-128 of [A-Za-z0-9_.-], not starting with . or -`);
  if (a.gitSha !== undefined && !SHA.test(a.gitSha)) throw new UsageError(`--git-sha "${a.gitSha}" is not 7 to 40 lower-case hex digits`);
  if (Boolean(a.username) !== Boolean(a.password)) throw new UsageError("--username and --password go together (leave both out for a registry without login)");
}

/** The Python version inside the image, e.g. 3.12.9. */
export async function pythonVersionOf(image: Container): Promise<string> {
  const out = (await image.withExec(["python3", "-c", "import platform; print(platform.python_version())"]).stdout()).trim();
  if (!/^\d+\.\d+\.\d+/.test(out)) throw new Error(`the built image reports Python "${out}", not a version such as 3.12.9`);
  return out;
}

/**
 * The tags of a publish: the full Python version in the image (3.12.9), the version key
 * (3.12-minimal), the distro (c9s), latest, and <YYYYMMDD>-<short sha> when a commit is
 * given, else a <YYYYMMDDhhmmss> timestamp.
 */
export function defaultTags(t: Target, pythonVersion: string, gitSha: string | undefined, now = new Date()): string[] {
  const iso = now.toISOString().replace(/[-:T]/g, "");
  const stamp = gitSha ? `${iso.slice(0, 8)}-${gitSha.slice(0, 7)}` : iso.slice(0, 14);
  return [pythonVersion, t.version.key, t.distro.id, "latest", stamp];
}

/** One line for a push the registry refused or could not take. */
export function pushFailure(ref: string, e: unknown): string {
  const text = withoutTraceIds(e instanceof Error ? e.message : String(e));
  const why = /\b401\b|unauthorized|authentication required|denied/i.test(text)
    ? "the registry refused the credentials"
    : /connection refused|no such host|i\/o timeout|dial tcp|connect: /i.test(text)
      ? "the registry is not reachable"
      : text.split("\n")[0].slice(0, 300);
  return `push of ${ref} failed: ${why}; nothing was tagged by this push`;
}

/**
 * Pushes the image (one per platform: an image index) under every tag, the first tag first: a refusal (credentials,
 * registry down) then stops the publish before any tag exists. A registry writes a tag
 * only once the whole image is there, so no tag is ever half-written. Returns the
 * references with their digests, in tag order.
 */
export async function publishTags(images: Container[], target: Target, a: PublishArgs, tags: string[]): Promise<string[]> {
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
