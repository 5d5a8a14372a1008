import type { Container } from "@dagger.io/dagger";
import { settingsDigest, type ImageIdentity } from "../image-identity.js";

/** The identity of a built image (verify/image-identity.ts): the digest of its files, and of its settings. */
export async function identifyImage(c: Container, image: string): Promise<ImageIdentity> {
  const pairs = (l: { name(): Promise<string>; value(): Promise<string> }[]) =>
    Promise.all(l.map(async (x) => [await x.name(), await x.value()] as [string, string]));
  const [platform, rootfs, user, workdir, entrypoint, cmd, env, labels, ports] = await Promise.all([
    c.platform(),
    c.rootfs().digest(),
    c.user(),
    c.workdir(),
    c.entrypoint(),
    c.defaultArgs(),
    c.envVariables().then(pairs),
    c.labels().then(pairs),
    c.exposedPorts().then((ps) => Promise.all(ps.map(async (p) => `${await p.port()}/${await p.protocol()}`))),
  ]);
  return { image, platform: String(platform), rootfs, settings: settingsDigest({ user, workdir, entrypoint, cmd, env, labels, exposedPorts: ports }) };
}
