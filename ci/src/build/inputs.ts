/** What an image build may be given besides its Dockerfile, validated against the target before anything is built. */
import { UsageError } from "../errors.js";
import { targetName } from "../spec/select.js";
import type { Target } from "../spec/types.js";

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

/**
 * The certificate and key of a subscription folder, from its entitlement/*.pem files: one
 * line naming what is missing when the pair is not there.
 */
export function entitlementPair(pems: string[]): { cert: string; key: string } {
  const key = pems.find((p) => p.endsWith("-key.pem"));
  const cert = key && pems.find((p) => p === key.replace(/-key\.pem$/, ".pem"));
  if (!key || !cert) {
    throw new UsageError(
      `--subscription needs entitlement/<id>.pem and entitlement/<id>-key.pem (from /etc/pki/entitlement on a subscribed host); found ${pems.join(", ") || "no entitlement/*.pem"}`,
    );
  }
  return { cert, key };
}

/** "linux/arm64/v8" is "linux/arm64": the names the spec uses. */
export function normalPlatform(p: string): string {
  return p.replace(/^linux\/arm64\/v8$/, "linux/arm64").replace(/^linux\/x86_64$/, "linux/amd64");
}

/**
 * Whether a target's build reads the extra CA (its install step fetches over https): the RPM
 * builds always (dnf's repositories are https), the Debian ones only from an https apt mirror
 * (deb.debian.org is plain http). A build is given the CA secret only when it reads it: the
 * engine keys a secret made in a module by that module's code, so a secret the build never
 * reads would make every change to ci/src build the image, and every app on it, again.
 */
export function buildReadsExtraCa(t: Target, aptMirror: string | undefined): boolean {
  return t.distro.family !== "deb" || /^https:\/\//i.test(aptMirror ?? "");
}

/** Refuses inputs that do not apply to the target, before anything is built. */
export function validateBuildInputs(t: Target, inputs: { subscription?: unknown; aptMirror?: string; platform?: string }): void {
  if (inputs.platform !== undefined && !t.distro.platforms.includes(normalPlatform(inputs.platform))) {
    throw new UsageError(`--platform ${inputs.platform}: the base images of ${targetName(t)} are published for ${t.distro.platforms.join(", ")}`);
  }
  if (inputs.subscription && t.distro.os !== "rhel") throw new UsageError(`--subscription is for the RHEL targets; ${targetName(t)} is not one`);
  if (inputs.aptMirror !== undefined) {
    if (t.distro.family !== "deb") throw new UsageError(`--apt-mirror is for the Debian targets; ${targetName(t)} is not one`);
    if (!/^https?:\/\/[^\s#"'$`\\]+$/.test(inputs.aptMirror))
      throw new UsageError(`--apt-mirror "${inputs.aptMirror}" is not an http:// or https:// URL such as https://deb.debian.org`);
  }
}
