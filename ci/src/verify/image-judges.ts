/**
 * How the image checks are judged, from what each one observed of the image: its default
 * command, `python --version`, its machine, what it kept of an extra CA bundle. Pure: the
 * entries of verify/engine/checks.ts run the probes and hand their output here.
 */
import { buildFailureHint } from "../build/failure-hint.js";
import { normalPlatform } from "../build/inputs.js";
import type { Target } from "../spec/types.js";
import { PASS, type Verdict } from "./results.js";
import { CA_VARIABLES, EXTRA_CA_PATH } from "./s2i-steps.js";
import { clip, tail } from "./text.js";

/** A command's exit code and combined output. */
export interface CommandOutput {
  code: number;
  out: string;
}

/** A pass, or a failure saying what was expected and what came back (clipped), with the log's tail. */
export function verdict(ok: boolean, expected: string, got: string, log = ""): Verdict {
  return ok ? PASS : { outcome: "fail", expected, got: clip(got, 300), logTail: tail(log) };
}

/** What `usage` prints first: the image's default command explains itself. */
export const USAGE_TEXT = "source-to-image (s2i) builder image";

export function judgeUsage(r: CommandOutput): Verdict {
  if (r.code === 0 && r.out.includes(USAGE_TEXT)) return PASS;
  return { outcome: "fail", expected: `the default command exits 0 and prints "${USAGE_TEXT}"`, got: `exit ${r.code}`, logTail: tail(r.out) };
}

/** What `uname -m` and the ELF header of an interpreter built for each platform say. */
export const MACHINES: Record<string, { uname: string; elf: number }> = {
  "linux/amd64": { uname: "x86_64", elf: 62 },
  "linux/arm64": { uname: "aarch64", elf: 183 },
  "linux/ppc64le": { uname: "ppc64le", elf: 21 },
  "linux/s390x": { uname: "s390x", elf: 22 },
  "linux/arm/v7": { uname: "armv7l", elf: 40 },
};

/** Prints `uname -m`, then the machine of the interpreter's ELF header (byte order from the header). */
export const MACHINE_PROBE = `
import os, platform, sys
h = open(os.path.realpath(sys.executable), "rb").read(20)
print(platform.machine())
print(int.from_bytes(h[18:20], "little" if h[5] == 1 else "big"))
`;

/** The image runs on the platform it was built for: `uname -m` and the interpreter's ELF machine agree with it. */
export function judgeMachine(platform: string, probeOutput: string): Verdict {
  const want = MACHINES[normalPlatform(platform)];
  if (!want) return { outcome: "fail", expected: `a platform of ${Object.keys(MACHINES).join(", ")}`, got: platform };
  const [uname, elf] = probeOutput.trim().split("\n");
  if (uname === want.uname && Number(elf) === want.elf) return PASS;
  return {
    outcome: "fail",
    expected: `uname -m ${want.uname} and an ELF machine ${want.elf} interpreter (${platform})`,
    got: `uname -m ${uname}, ELF machine ${elf}`,
  };
}

/** The variables that would make a process trust the extra CA bundle. */
export const CA_ENV_NAMES = [...CA_VARIABLES, "SSL_CERT_FILE"] as const;

/**
 * Prints, in sections, what would show an extra CA bundle left in an image's files: files
 * where build secrets and our CA mount go, the distro's own CA certificates and the system
 * bundle (Debian and RPM paths). It runs on the image's layers alone.
 */
export const CA_PROBE = `
echo @@files; find /run/secrets ${EXTRA_CA_PATH.replace(/\/[^/]*$/, "")} -mindepth 1 2>/dev/null || true
echo @@distro; find /usr/share/ca-certificates /usr/share/pki/ca-trust-source -name '*.crt' -o -name '*.pem' 2>/dev/null | xargs -r cat 2>/dev/null || true
echo @@bundle; cat /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt 2>/dev/null || true
`;

/** What an image (or an app image) shows of an extra CA bundle: its CA variables, CA_PROBE's output, and the bundle itself. */
export interface CaObservation {
  env: Partial<Record<(typeof CA_ENV_NAMES)[number], string>>;
  probe: string;
  bundle: string;
}

/** PEM certificates of a text, as their base64 bodies, so that line breaks do not matter. */
export function pemCertificates(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) out.add(m[1].replace(/\s+/g, ""));
  return out;
}

function sections(out: string): Record<string, string> {
  const parts: Record<string, string> = {};
  let name = "";
  for (const line of out.split("\n")) {
    const m = /^@@(\w+)$/.exec(line);
    if (m) name = m[1];
    else if (name) parts[name] = (parts[name] ?? "") + line + "\n";
  }
  return parts;
}

/**
 * Why a container still holds something of the extra CA bundle it was built with, or
 * undefined when it holds nothing: no CA variable in its configuration, and in its layers
 * no file where the secret was mounted and none of the bundle's certificates that the
 * distro does not ship itself.
 */
export function extraCaLeft(o: CaObservation): string | undefined {
  const s = sections(o.probe);
  const problems: string[] = [];
  const env = CA_ENV_NAMES.flatMap((n) => (o.env[n] ? [`${n}=${o.env[n]}`] : []));
  if (env.length) problems.push(`CA variables in the configuration: ${env.join(" ")}`);
  const files = (s.files ?? "").trim();
  if (files) problems.push(`files left where secrets are mounted: ${files.split("\n").join(", ")}`);
  const distro = pemCertificates(s.distro ?? "");
  const inImage = pemCertificates(s.bundle ?? "");
  const leaked = [...pemCertificates(o.bundle)].filter((cert) => !distro.has(cert) && inImage.has(cert));
  if (leaked.length) problems.push(`the system CA bundle holds ${leaked.length} certificate(s) of the extra CA bundle that the distro does not ship`);
  return problems.length ? problems.join("; ") : undefined;
}

export function judgeNoExtraCa(o: CaObservation): Verdict {
  const why = extraCaLeft(o);
  return why ? { outcome: "fail", expected: "nothing of the extra CA bundle in the image", got: why } : PASS;
}

/** What building the image showed: it built, or what the failed step printed. */
export type BuildObservation = { built: true } | { built: false; output: string; line: string; text: string };

/** A build that failed for a known cause (a CA to pass, a package to find) says so; any other failure is reported as it came. */
export function judgeImageBuild(o: BuildObservation, t: Target): Verdict {
  if (o.built) return PASS;
  const hint = buildFailureHint(t, o.output);
  if (hint) return { outcome: "fail", expected: "the image builds", got: hint, logTail: tail(o.text) };
  return { outcome: "fail", expected: "the check runs", got: o.line, logTail: tail(o.text) };
}
