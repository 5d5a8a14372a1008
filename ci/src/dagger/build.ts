import { dag, ExecError, type Container, type Directory, type File, type Platform, type Secret } from "@dagger.io/dagger";
import { UsageError } from "../errors.js";
import { dockerfilePath, targetName } from "../matrix/select.js";
import type { Target } from "../matrix/types.js";
import type { Renderer } from "../render/render.js";
import { filesToDirectory } from "./files.js";

/** The build secret a Dockerfile mounts with `RUN --mount=type=secret,id=extra-ca`. */
export const EXTRA_CA_SECRET = "extra-ca";

/**
 * The build secrets of a Red Hat subscription, by the file of the subscription folder they
 * come from; the RHEL Dockerfiles mount them where UBI images look for the host's.
 */
export const SUBSCRIPTION_SECRETS = [
  { id: "rhsm-entitlement", file: "entitlement/<id>.pem", required: true },
  { id: "rhsm-entitlement-key", file: "entitlement/<id>-key.pem", required: true },
  { id: "rhsm-conf", file: "rhsm/rhsm.conf", required: false },
  { id: "rhsm-ca", file: "rhsm/ca/redhat-uep.pem", required: false },
] as const;

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
}

/** An extra CA bundle as a build secret: build-time only, never a file in the image. */
export async function extraCaSecret(extraCa: File): Promise<Secret> {
  return dag.setSecret(EXTRA_CA_SECRET, await extraCa.contents());
}

/**
 * A subscription folder (as on a subscribed RHEL host: entitlement/*.pem from /etc/pki and
 * rhsm/ from /etc) as build secrets. Checked before anything is built: one line naming
 * what is missing.
 */
export async function subscriptionSecrets(dir: Directory): Promise<Secret[]> {
  const pems = (await dir.glob("entitlement/*.pem")).map((p) => p.replace(/^\.?\//, "")).sort();
  const key = pems.find((p) => p.endsWith("-key.pem"));
  const cert = key && pems.find((p) => p === key.replace(/-key\.pem$/, ".pem"));
  if (!key || !cert) {
    throw new UsageError(`--subscription needs entitlement/<id>.pem and entitlement/<id>-key.pem (from /etc/pki/entitlement on a subscribed host); found ${pems.join(", ") || "no entitlement/*.pem"}`);
  }
  const files: Record<string, string | undefined> = { "rhsm-entitlement": cert, "rhsm-entitlement-key": key };
  for (const s of SUBSCRIPTION_SECRETS.filter((x) => !x.required)) files[s.id] = (await dir.glob(s.file)).length ? s.file : undefined;
  const secrets: Secret[] = [];
  for (const [id, file] of Object.entries(files)) if (file) secrets.push(dag.setSecret(id, await dir.file(file).contents()));
  return secrets;
}

/** "linux/arm64/v8" is "linux/arm64": the names the spec uses. */
export function normalPlatform(p: string): string {
  return p.replace(/^linux\/arm64\/v8$/, "linux/arm64").replace(/^linux\/x86_64$/, "linux/amd64");
}

/** Refuses inputs that do not apply to the target, before anything is built. */
export function checkBuildInputs(t: Target, inputs: { subscription?: unknown; aptMirror?: string; platform?: string }): void {
  if (inputs.platform !== undefined && !t.distro.platforms.includes(normalPlatform(inputs.platform))) {
    throw new UsageError(`--platform ${inputs.platform}: the base images of ${targetName(t)} are published for ${t.distro.platforms.join(", ")}`);
  }
  if (inputs.subscription && t.distro.os !== "rhel") throw new UsageError(`--subscription is for the RHEL targets; ${targetName(t)} is not one`);
  if (inputs.aptMirror !== undefined) {
    if (t.distro.family !== "deb") throw new UsageError(`--apt-mirror is for the Debian targets; ${targetName(t)} is not one`);
    if (!/^https?:\/\/[^\s#"'$`\\]+$/.test(inputs.aptMirror)) throw new UsageError(`--apt-mirror "${inputs.aptMirror}" is not an http:// or https:// URL such as https://deb.debian.org`);
  }
}

/**
 * Builds one image from its rendered Dockerfile. The build context holds only this
 * target's files (its Dockerfile and what it COPYs), so editing another version or distro
 * never invalidates this image's cache.
 */
export function buildImage(renderer: Renderer, t: Target, inputs: BuildInputs = {}): Container {
  const context = filesToDirectory(renderer.buildContext(t));
  const secrets = [...(inputs.extraCa ? [inputs.extraCa] : []), ...(inputs.subscription ?? [])];
  return context.dockerBuild({
    dockerfile: dockerfilePath(t),
    platform: inputs.platform,
    secrets: secrets.length ? secrets : undefined,
    buildArgs: inputs.aptMirror ? [{ name: "APT_MIRROR", value: inputs.aptMirror }] : undefined,
  });
}

/**
 * A package that no enabled repository has, from a failed install's output (dnf, yum,
 * microdnf, apt), or undefined.
 */
export function missingPackage(output: string): string | undefined {
  const patterns = [
    /No match for argument: (\S+)/,
    /Unable to find a match: (\S+)/,
    /No package (\S+) available/,
    /error: No package matches '([^']+)'/,
    /E: Unable to locate package (\S+)/,
    /Package '?([^' ]+)'? has no installation candidate/,
  ];
  for (const re of patterns) {
    const m = re.exec(output);
    if (m) return m[1];
  }
  return undefined;
}

/** A TLS failure in a failed step's output (apt, dnf, curl, pip): the line that says so. */
export function tlsFailure(output: string): string | undefined {
  return output.split("\n").find((l) => /certificate verif|certificate verify failed|SSL certificate problem|self[- ]signed certificate|unable to get local issuer/i.test(l))?.trim();
}

/** Why a build failed, in one line that says what to do: a CA to pass, a package to find. */
export function buildFailureHint(t: Target, e: unknown): string | undefined {
  const text = e instanceof ExecError ? `${e.stdout}\n${e.stderr}` : e instanceof Error ? e.message : String(e);
  const tls = tlsFailure(text);
  if (tls) return `${targetName(t)}: a step could not verify an https server's certificate (${tls.slice(0, 200)}); behind a TLS-inspecting proxy, pass its CA bundle with --extra-ca`;
  const pkg = missingPackage(text);
  if (!pkg) return undefined;
  if (t.distro.os === "rhel") {
    return `${targetName(t)}: package ${pkg} is in no enabled repository; UBI content alone does not have it, so this target needs a Red Hat subscription (--subscription DIR)`;
  }
  return `${targetName(t)}: package ${pkg} is in no enabled repository of ${t.distro.id}`;
}
