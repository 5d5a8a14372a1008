import type { Container, Secret } from "@dagger.io/dagger";
import { UsageError } from "../errors.js";
import type { Target } from "../matrix/types.js";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA = /^[0-9a-f]{7,40}$/;

/** Checks the publish arguments before anything is built: one line naming what is wrong. */
export function checkPublishArgs(registry: string, tags: string[] | undefined, gitSha: string | undefined): void {
  if (!/^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(registry)) {
    throw new UsageError(`registry "${registry}" is not a registry address such as quay.io or localhost:5000`);
  }
  const bad = (tags ?? []).filter((t) => !TAG.test(t));
  if (bad.length) throw new UsageError(`invalid tag ${bad.map((t) => `"${t}"`).join(", ")}; a tag is 1-128 of [A-Za-z0-9_.-], not starting with . or -`);
  if (gitSha !== undefined && !SHA.test(gitSha)) throw new UsageError(`git sha "${gitSha}" is not 7 to 40 lower-case hex digits`);
}

/**
 * Upstream's tag scheme: the distro's Dockerfile suffix (rhel8, c9s, fedora, ...), the
 * version key, latest, and <YYYYMMDD>-<short sha> when a commit is given, else a
 * <YYYYMMDDhhmmss> timestamp.
 */
export function defaultTags(t: Target, gitSha: string | undefined, now = new Date()): string[] {
  const iso = now.toISOString().replace(/[-:T]/g, "");
  const stamp = gitSha ? `${iso.slice(0, 8)}-${gitSha.slice(0, 7)}` : iso.slice(0, 14);
  return [t.distro.dockerfile, t.version.key, "latest", stamp];
}

/** `<registry>/<name label>`: Fedora's $NAME is already expanded in the built image's label. */
export async function imageRepository(image: Container, registry: string): Promise<string> {
  const name = (await image.label("name")).trim();
  if (!name) throw new Error("the built image has no name label; the Dockerfile template must set LABEL name=...");
  return `${registry.replace(/\/+$/, "")}/${name}`;
}

/** Pushes every tag; returns the references with their digests, in tag order. */
export async function publishTags(image: Container, registry: string, username: string, password: Secret, tags: string[]): Promise<string[]> {
  const repo = await imageRepository(image, registry);
  const authed = image.withRegistryAuth(registry.split("/")[0], username, password);
  const refs: string[] = [];
  for (const tag of tags) refs.push(await authed.publish(`${repo}:${tag}`));
  return refs;
}
