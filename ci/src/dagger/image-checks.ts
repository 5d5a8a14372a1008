import { dag, ReturnType, type Container, type File } from "@dagger.io/dagger";
import { judgePythonVersion, tail } from "../verify/http-check.js";
import type { Verdict } from "../verify/report.js";
import { CA_VARIABLES } from "../verify/s2i-build.js";
import { normalPlatform } from "./build.js";
import { EXTRA_CA_PATH } from "./s2i.js";

/** What `usage` prints first: the image's default command explains itself. */
export const USAGE_TEXT = "source-to-image (s2i) builder image";

/** The image's default command, started as `docker run IMAGE` would (entrypoint + CMD): s2i usage, exit 0. */
export async function checkUsage(image: Container): Promise<Verdict> {
  const c = image.withExec(await image.defaultArgs(), { useEntrypoint: true, expect: ReturnType.Any });
  const [code, out] = await Promise.all([c.exitCode(), c.combinedOutput()]);
  if (code === 0 && out.includes(USAGE_TEXT)) return { outcome: "pass" };
  return { outcome: "fail", expected: `the default command exits 0 and prints "${USAGE_TEXT}"`, got: `exit ${code}`, logTail: tail(out) };
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
const MACHINE_PROBE = `
import os, platform, sys
h = open(os.path.realpath(sys.executable), "rb").read(20)
print(platform.machine())
print(int.from_bytes(h[18:20], "little" if h[5] == 1 else "big"))
`;

/** The image runs on the platform it was built for: `uname -m` and the interpreter's ELF machine agree with it. */
export async function checkMachine(image: Container): Promise<Verdict> {
  const platform = await image.platform();
  const want = MACHINES[normalPlatform(platform)];
  if (!want) return { outcome: "fail", expected: `a platform of ${Object.keys(MACHINES).join(", ")}`, got: platform };
  const [uname, elf] = (await image.withExec(["python3", "-c", MACHINE_PROBE]).stdout()).trim().split("\n");
  if (uname === want.uname && Number(elf) === want.elf) return { outcome: "pass" };
  return { outcome: "fail", expected: `uname -m ${want.uname} and an ELF machine ${want.elf} interpreter (${platform})`, got: `uname -m ${uname}, ELF machine ${elf}` };
}

/** `python --version` names the image's own Python version. */
export async function checkPythonVersion(image: Container, version: string): Promise<Verdict> {
  const out = await image.withExec(["python", "--version"]).combinedOutput();
  const why = judgePythonVersion(version, out);
  return why ? { outcome: "fail", expected: `Python ${version}.x`, got: why } : { outcome: "pass" };
}

/**
 * Prints, in sections, what would show an extra CA bundle left in an image's files: files
 * where build secrets and our CA mount go, the distro's own CA certificates and the system
 * bundle (Debian and RPM paths). It runs on the image's layers alone (see extraCaLeft).
 */
const CA_PROBE = `
echo @@files; find /run/secrets ${EXTRA_CA_PATH.replace(/\/[^/]*$/, "")} -mindepth 1 2>/dev/null || true
echo @@distro; find /usr/share/ca-certificates /usr/share/pki/ca-trust-source -name '*.crt' -o -name '*.pem' 2>/dev/null | xargs -r cat 2>/dev/null || true
echo @@bundle; cat /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt 2>/dev/null || true
`;

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
 * distro does not ship itself. Layers and configuration are what a publish pushes; the
 * probe runs on the layers alone because dockerBuild keeps its build secrets mounted
 * (on a tmpfs) in the Container it returns.
 */
export async function extraCaLeft(c: Container, extraCa: File): Promise<string | undefined> {
  const names = [...CA_VARIABLES, "SSL_CERT_FILE"];
  const [values, out, bundle] = await Promise.all([
    Promise.all(names.map((n) => c.envVariable(n))),
    dag.container().withRootfs(c.rootfs()).withExec(["sh", "-c", CA_PROBE]).stdout(),
    extraCa.contents(),
  ]);
  const s = sections(out);
  const problems: string[] = [];
  const env = names.flatMap((n, i) => (values[i] ? [`${n}=${values[i]}`] : []));
  if (env.length) problems.push(`CA variables in the configuration: ${env.join(" ")}`);
  const files = (s.files ?? "").trim();
  if (files) problems.push(`files left where secrets are mounted: ${files.split("\n").join(", ")}`);
  const distro = pemCertificates(s.distro ?? "");
  const inImage = pemCertificates(s.bundle ?? "");
  const leaked = [...pemCertificates(bundle)].filter((cert) => !distro.has(cert) && inImage.has(cert));
  if (leaked.length) problems.push(`the system CA bundle holds ${leaked.length} certificate(s) of the extra CA bundle that the distro does not ship`);
  return problems.length ? problems.join("; ") : undefined;
}

/** The image keeps nothing of the extra CA bundle it was built with. */
export async function checkNoExtraCa(image: Container, extraCa: File): Promise<Verdict> {
  const why = await extraCaLeft(image, extraCa);
  return why ? { outcome: "fail", expected: "nothing of the extra CA bundle in the image", got: why } : { outcome: "pass" };
}
