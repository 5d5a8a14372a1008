/**
 * What a report says it checked, by content: each built image's files (the engine's digest of its
 * root filesystem) and its settings (a digest of its configuration). `publish --report` compares
 * them with the image it is about to push, so a report vouches only for the very image it tested.
 * Pure: verify/engine/identify-image.ts reads them from a container.
 */
import { createHash } from "node:crypto";

export interface ImageIdentity {
  /** "3.11-minimal on debian12", as the report's results name it. */
  image: string;
  /** "linux/amd64". */
  platform: string;
  /** The engine's digest of the image's root filesystem (stable on one engine, not across engines). */
  rootfs: string;
  /** sha256 of the image's settings (settingsDigest). */
  settings: string;
}

/** The settings a container engine runs an image with: what makes two images with the same files behave differently. */
export interface ImageSettings {
  user: string;
  workdir: string;
  entrypoint: string[];
  cmd: string[];
  env: [string, string][];
  labels: [string, string][];
  exposedPorts: string[];
}

/** A digest of the settings, independent of the order the engine lists variables, labels and ports in. */
export function settingsDigest(s: ImageSettings): string {
  const byKey = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const canonical = { ...s, env: [...s.env].sort(byKey), labels: [...s.labels].sort(byKey), exposedPorts: [...s.exposedPorts].sort() };
  return `sha256:${createHash("sha256").update(JSON.stringify(canonical)).digest("hex")}`;
}

/** Why a tested image is not the built one (files or settings differ), or undefined when it is. */
export function identityMismatch(tested: ImageIdentity, built: ImageIdentity): string | undefined {
  const differ: string[] = [];
  if (tested.rootfs !== built.rootfs) differ.push(`its files (tested ${tested.rootfs}, built now ${built.rootfs})`);
  if (tested.settings !== built.settings) differ.push(`its settings (tested ${tested.settings}, built now ${built.settings})`);
  return differ.length ? differ.join(" and ") : undefined;
}
