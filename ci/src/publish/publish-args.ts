/** The publish arguments, validated before anything is built: one line naming what is wrong. */
import { UsageError } from "../errors.js";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA = /^[0-9a-f]{7,40}$/;
/** A registry host (with an optional port) and a namespace path: quay.io/myorg, 127.0.0.1:5000/s2i. */
const REPOSITORY = /^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;
const NAME = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

/** Where and how to push; the password is the engine's Secret, opaque here. */
export interface PublishArgs<Password = unknown> {
  repository: string;
  name?: string;
  username?: string;
  password?: Password;
  tags: string[];
  gitSha?: string;
}

export function validatePublishArgs(a: PublishArgs): void {
  if (!REPOSITORY.test(a.repository)) {
    throw new UsageError(`--repository "${a.repository}" is not a registry and namespace such as quay.io/myorg or 127.0.0.1:5000/s2i`);
  }
  if (a.name !== undefined && !NAME.test(a.name))
    throw new UsageError(`--name "${a.name}" is not an image name such as python-312-minimal-c9s (lower case, digits, . _ -)`);
  const bad = a.tags.filter((t) => !TAG.test(t));
  if (bad.length) throw new UsageError(`invalid tag ${bad.map((t) => `"${t}"`).join(", ")}; a tag is 1-128 of [A-Za-z0-9_.-], not starting with . or -`);
  if (a.gitSha !== undefined && !SHA.test(a.gitSha)) throw new UsageError(`--git-sha "${a.gitSha}" is not 7 to 40 lower-case hex digits`);
  if (Boolean(a.username) !== Boolean(a.password)) throw new UsageError("--username and --password go together (leave both out for a registry without login)");
}

/** Refuses a platform named twice in --platforms. */
export function validatePlatforms(platforms: string[]): void {
  if (new Set(platforms).size !== platforms.length) throw new UsageError(`--platforms names a platform twice: ${platforms.join(", ")}`);
}
