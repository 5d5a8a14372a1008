import { dag, type Directory, type File, type Platform, type Secret } from "@dagger.io/dagger";
import { entitlementPair, EXTRA_CA_SECRET, SUBSCRIPTION_SECRETS } from "../inputs.js";
import type { BuildInputs } from "./image-build.js";

/** What the image builds may be given, as the functions take it. */
export interface BuildArgs {
  extraCa?: File;
  subscription?: Directory;
  aptMirror?: string;
  platform?: Platform;
  /** The commit's time (seconds since 1970): SOURCE_DATE_EPOCH of the build. */
  sourceDateEpoch?: number;
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
  const { cert, key } = entitlementPair(pems);
  const files: Record<string, string | undefined> = { "rhsm-entitlement": cert, "rhsm-entitlement-key": key };
  for (const s of SUBSCRIPTION_SECRETS.filter((x) => !x.required)) files[s.id] = (await dir.glob(s.file)).length ? s.file : undefined;
  const secrets: Secret[] = [];
  for (const [id, file] of Object.entries(files)) if (file) secrets.push(dag.setSecret(id, await dir.file(file).contents()));
  return secrets;
}

/** The build inputs as build secrets and arguments. */
export async function buildInputs(a: BuildArgs): Promise<BuildInputs> {
  return {
    extraCa: a.extraCa && (await extraCaSecret(a.extraCa)),
    subscription: a.subscription && (await subscriptionSecrets(a.subscription)),
    aptMirror: a.aptMirror,
    platform: a.platform,
    sourceDateEpoch: a.sourceDateEpoch,
  };
}
