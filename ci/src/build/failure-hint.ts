/** Why an image build failed, in one line that says what to do: a CA to pass, a package to find. */
import { targetName } from "../spec/select.js";
import type { Target } from "../spec/types.js";
import { failureOutput } from "../verify/error-text.js";

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
  return output
    .split("\n")
    .find((l) => /certificate verif|certificate verify failed|SSL certificate problem|self[- ]signed certificate|unable to get local issuer/i.test(l))
    ?.trim();
}

/** Why a build failed, in one line that says what to do, or undefined when the output names no known cause. */
export function buildFailureHint(t: Target, e: unknown): string | undefined {
  const text = failureOutput(e);
  const tls = tlsFailure(text);
  if (tls)
    return `${targetName(t)}: a step could not verify an https server's certificate (${tls.slice(0, 200)}); behind a TLS-inspecting proxy, pass its CA bundle with --extra-ca`;
  const pkg = missingPackage(text);
  if (!pkg) return undefined;
  if (t.distro.os === "rhel") {
    return `${targetName(t)}: package ${pkg} is in no enabled repository; UBI content alone does not have it, so this target needs a Red Hat subscription (--subscription DIR)`;
  }
  return `${targetName(t)}: package ${pkg} is in no enabled repository of ${t.distro.id}`;
}
