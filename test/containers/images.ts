/**
 * Builds the images under test with podman from exactly what the pipeline renders: the
 * Debian base images first (ci/scripts/base-images.sh), then each target's build context
 * written to a temporary folder and `podman build -f <key>/Dockerfile.<suffix>`.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { imageName } from "../../ci/src/render/context.js";
import type { RenderedFile, Renderer } from "../../ci/src/render/render.js";
import { dockerfilePath } from "../../ci/src/spec/select.js";
import type { Target } from "../../ci/src/spec/types.js";
import { tail } from "../../ci/src/verify/http-check.js";
import { podman, run, type RunResult } from "./podman.js";

/** The id under which the extra CA bundle is passed to builds (`--secret id=extra-ca,src=...`). */
export const EXTRA_CA_SECRET = "extra-ca";
const HOST_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/**
 * The extra CA bundle builds may use (pip, requests and npm during assemble): env S2I_EXTRA_CA,
 * by default the host's bundle when it exists; S2I_EXTRA_CA=none (or empty) turns it off.
 */
export function extraCaBundle(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.S2I_EXTRA_CA;
  if (v === undefined) return existsSync(HOST_BUNDLE) ? HOST_BUNDLE : undefined;
  if (v === "" || v === "none") return undefined;
  if (!existsSync(v)) throw new Error(`S2I_EXTRA_CA=${v}: no such file`);
  return v;
}

/** `--secret` arguments passing the extra CA bundle to a build, if there is one. */
export function secretArgs(extraCa: string | undefined): string[] {
  return extraCa ? ["--secret", `id=${EXTRA_CA_SECRET},src=${extraCa}`] : [];
}

/** Local tag of a target's image: localhost/s2i-python/python-311-minimal-debian12:test. */
export function localTag(t: Target, variant = ""): string {
  const short = imageName(t).split("/").pop()!;
  return `localhost/s2i-python/${short}${variant ? `-${variant}` : ""}:test`;
}

/** The short name the READMEs build FROM (python-311-minimal), tagged as localhost/python-311-minimal:latest. */
export function readmeTag(t: Target): string {
  const short = imageName(t).split("/").pop()!;
  return `localhost/${short.replace(new RegExp(`-${t.distro.id}$`), "")}:latest`;
}

/** Debian suites whose base images these targets need. */
export function baseSuites(targets: Target[]): string[] {
  return [...new Set(targets.filter((t) => t.distro.family === "deb").map((t) => t.distro.debianCodename!))];
}

/** Makes sure the Debian base images exist locally (built with debootstrap on first use, then cached). */
export async function ensureBaseImages(root: string, targets: Target[]): Promise<void> {
  for (const suite of baseSuites(targets)) {
    await run("bash", [join(root, "ci/scripts/base-images.sh"), suite], { timeoutMs: 15 * 60_000 });
  }
}

/** Writes rendered files into dir (created if needed) and returns dir. */
export async function writeFiles(files: RenderedFile[], dir: string): Promise<string> {
  for (const f of files) {
    const p = join(dir, f.path);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, f.content);
    await chmod(p, f.mode);
  }
  return dir;
}

export class BuildError extends Error {
  constructor(
    readonly what: string,
    readonly exitStatus: number | undefined,
    readonly output: string,
  ) {
    super(`${what} failed${exitStatus !== undefined ? ` (exit status ${exitStatus})` : ""}:\n${tail(output.trimEnd(), 30)}`);
    this.name = "BuildError";
  }
}

/** The exit status podman reports for the RUN step that failed ("... exit status 3"). */
export function failedStepStatus(output: string): number | undefined {
  const all = [...output.matchAll(/exit status (\d+)/g)];
  return all.length ? Number(all[all.length - 1][1]) : undefined;
}

export interface PodmanBuildOptions {
  /** Build context folder. */
  dir: string;
  /** Dockerfile path relative to dir. */
  dockerfile: string;
  tags: string[];
  buildArgs?: Record<string, string>;
  extraCa?: string;
  noCache?: boolean;
  network?: "host";
  /** --layers=false: commit only the final image (no intermediate layers, no cache). */
  layersOff?: boolean;
  timeoutMs?: number;
  /**
   * How many times to run a build that fails (default 1). Debian's mirror and PyPI behind the
   * proxy fail now and then (seen: pip finding no versions of a pinned package once); a real
   * breakage fails every attempt, and the earlier attempts' output stays in the result.
   */
  attempts?: number;
}

/** `podman build`; returns the result whether it succeeded or not, output = stdout + stderr. */
export async function podmanBuild(o: PodmanBuildOptions): Promise<RunResult & { output: string }> {
  const args = ["build", "-f", o.dockerfile, ...o.tags.flatMap((t) => ["-t", t])];
  for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  args.push(...secretArgs(o.extraCa));
  if (o.noCache) args.push("--no-cache");
  if (o.network) args.push("--network", o.network);
  if (o.layersOff) args.push("--layers=false");
  args.push(".");
  let earlier = "";
  for (let attempt = 1; ; attempt++) {
    const r = await podman(args, { cwd: o.dir, allowFailure: true, timeoutMs: o.timeoutMs ?? 30 * 60_000 });
    if (r.code === 0 || attempt >= (o.attempts ?? 1)) return { ...r, output: `${earlier}${r.stdout}\n${r.stderr}` };
    earlier += `--- attempt ${attempt} failed (exit ${r.code}), building again; its last lines: ---\n${r.stderr.trimEnd().split("\n").slice(-8).join("\n")}\n--- attempt ${attempt + 1} ---\n`;
  }
}

export interface ImageBuildOptions {
  /** Replace the rendered build context (negative tests: a broken run script, no locale). */
  files?: RenderedFile[];
  /** Tag suffix for such variants: localhost/s2i-python/python-311-minimal-debian12-<variant>:test. */
  variant?: string;
  noCache?: boolean;
  /** --layers=false: no cache used, no intermediate layers kept (a true cold build that leaves no duplicate chain). */
  layersOff?: boolean;
  extraCa?: string;
  /** Also tag the README's short name (localhost/python-311-minimal). */
  readmeTag?: boolean;
}

export interface BuiltImage {
  target: Target;
  tag: string;
  seconds: number;
  /** podman build's output (stdout + stderr). */
  output: string;
}

/** The build steps podman ran rather than took from its layer cache. */
export function uncachedSteps(output: string): string[] {
  const lines = output.split("\n");
  const steps: string[] = [];
  lines.forEach((l, i) => {
    if (/^STEP \d+\/\d+: (RUN|COPY|ADD)\b/.test(l) && !/^--> Using cache/.test(lines[i + 1] ?? "")) steps.push(l.slice(0, 100));
  });
  return steps;
}

/**
 * Renders one target's build context into a temporary folder and builds it with podman.
 *
 * Layer cache caveat (buildah 1.28): a cached step is looked up among the children of the
 * layer chosen for the previous step, and the first match wins without backtracking. The
 * full and minimal Dockerfiles of one distro start alike (FROM, EXPOSE), so when the two are
 * built at the same time each commits its own copy of those first layers, and a later rebuild
 * may follow the other image's copy and miss everything after it. Callers therefore build the
 * images of one base image one after the other (see the tests' per-suite lock).
 */
export async function buildImage(renderer: Renderer, t: Target, opts: ImageBuildOptions = {}): Promise<BuiltImage> {
  const files = opts.files ?? renderer.buildContext(t);
  const dir = await mkdtemp(join(tmpdir(), `s2i-image-${t.version.key}-`));
  try {
    await writeFiles(files, dir);
    const tag = localTag(t, opts.variant);
    const tags = [tag, ...(opts.readmeTag && !opts.variant ? [readmeTag(t)] : [])];
    const r = await podmanBuild({ dir, dockerfile: dockerfilePath(t), tags, extraCa: opts.extraCa, noCache: opts.noCache, layersOff: opts.layersOff, attempts: 2 });
    if (r.code !== 0) throw new BuildError(`podman build of ${dockerfilePath(t)} (${t.version.key} on ${t.distro.id})`, failedStepStatus(r.output), r.output);
    return { target: t, tag, seconds: r.seconds, output: r.output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** PEM certificates of a bundle, normalized (base64 body only) so that formatting differences do not matter. */
export function pemCertificates(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) out.add(m[1].replace(/\s+/g, ""));
  return out;
}

async function certsUnder(dir: string): Promise<Set<string>> {
  const all = new Set<string>();
  if (!existsSync(dir)) return all;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith(".crt")) for (const c of pemCertificates(await readFile(join(e.parentPath, e.name), "utf8"))) all.add(c);
  }
  return all;
}

export interface CaLeakReport {
  /** Problems found; empty when the image holds nothing of the extra CA. */
  problems: string[];
  /** Certificates of the extra bundle that Debian does not ship: the ones that must not be in the image. */
  extraCerts: number;
}

/**
 * Proves an image carries nothing of the extra CA bundle used to build it: no file left under
 * /run/secrets, none of the bundle's non-Debian certificates in the image's system bundle, and
 * no PIP_CERT / REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS in its configuration.
 */
export async function checkNoExtraCa(tag: string, extraCa: string): Promise<CaLeakReport> {
  const problems: string[] = [];
  const mount = (await podman(["image", "mount", tag])).stdout.trim();
  let extraCerts = 0;
  try {
    const secrets = join(mount, "run/secrets");
    if (existsSync(secrets)) {
      const left = await readdir(secrets, { recursive: true });
      if (left.length) problems.push(`files left under /run/secrets: ${left.join(", ")}`);
    }
    const debian = await certsUnder(join(mount, "usr/share/ca-certificates"));
    const extra = [...pemCertificates(await readFile(extraCa, "utf8"))].filter((c) => !debian.has(c));
    extraCerts = extra.length;
    const bundlePath = join(mount, "etc/ssl/certs/ca-certificates.crt");
    if (existsSync(bundlePath)) {
      const inImage = pemCertificates(await readFile(bundlePath, "utf8"));
      const leaked = extra.filter((c) => inImage.has(c));
      if (leaked.length) problems.push(`/etc/ssl/certs/ca-certificates.crt holds ${leaked.length} certificate(s) of ${extraCa} that Debian does not ship`);
      if (inImage.size === 0) problems.push("/etc/ssl/certs/ca-certificates.crt holds no certificate at all");
    }
  } finally {
    await podman(["image", "unmount", tag], { allowFailure: true });
  }
  const env = JSON.parse((await podman(["image", "inspect", "--format", "{{json .Config.Env}}", tag])).stdout) as string[] | null;
  const caEnv = (env ?? []).filter((e) => /^(PIP_CERT|REQUESTS_CA_BUNDLE|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE)=/.test(e));
  if (caEnv.length) problems.push(`CA variables in the image's environment: ${caEnv.join(" ")}`);
  return { problems, extraCerts };
}
