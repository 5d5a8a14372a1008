import type { Container } from "@dagger.io/dagger";
import { settingsDigest, type ImageIdentity } from "../image-identity.js";
import { readOciConfig } from "./image-config.js";

/** The identity of a built image (verify/image-identity.ts): the digest of its files, and of its settings. */
export async function identifyImage(c: Container, image: string): Promise<ImageIdentity> {
  const [platform, rootfs, oci] = await Promise.all([c.platform(), c.rootfs().digest(), readOciConfig(c)]);
  const { user, workdir, entrypoint, cmd, env, labels, exposedPorts } = oci;
  return { image, platform: String(platform), rootfs, settings: settingsDigest({ user, workdir, entrypoint, cmd, env, labels, exposedPorts }) };
}
