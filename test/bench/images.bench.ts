// Benchmark of the Debian images, built on a Dagger engine from their rendered build contexts:
//   npm run bench:images [-- --platform linux/amd64,linux/arm64] [--version 3.11-minimal] [--distro debian12]
//                        [--extra-ca FILE | --extra-ca none]
// For each image and platform (default: the engine's own) it prints
//   - the size: the bytes of the image's files (`du -sxb /` in a container made of the image's
//     layers only; what `docker images` and docker-library/repo-info count, the figure compared
//     with the goal), the disk space they take (`du -sxk`, 4 KiB blocks) and the OCI tarball
//     (`asTarball`, gzip layers: about what a pull transfers); the base image's size beside it;
//   - build times: cold (a nonce ENV right after the first FROM, so every step after the base
//     pull runs again) and warm (the unchanged build twice; the second is answered from the cache);
//   - the biggest directories (3 levels, biggest first), the top entries of the standard library
//     and of the venv's site-packages, the standard library's bytecode;
//   - the biggest packages: bytes of their files on disk now, and dpkg's Installed-Size;
// then per Python version and distro the minimal/full ratio, and for each minimal image the goal:
// at most 25% above the matching python:3.X-slim image of the same Debian release (ANCHORS;
// amd64 figures, so other platforms get the distance to them but no verdict).
// A platform whose base image the registry lacks (or has for another architecture only) gets
// one line saying so, and the run goes on.
// Figures only: it exits non-zero on errors, never on a missed goal.
// The extra CA (default: the host's bundle, as the engine tests pass it) is a build secret:
// it does not change an image or its cache keys.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { connection, dag, ImageLayerCompression, type Container, type Platform, type Secret } from "@dagger.io/dagger";
import { buildImage } from "../../ci/src/build/engine/image-build.js";
import { selectTargets, targetName } from "../../ci/src/spec/select.js";
import type { Target } from "../../ci/src/spec/types.js";
import { ensureEngine } from "../../local-engine/call/engine.js";
import { firstLine, runBench, timed } from "../helpers/bench.js";
import { withLineAfterFrom } from "./nonce.js";
import { project, projectRoot } from "../helpers/project.js";

/**
 * The public anchors: uncompressed amd64 sizes of the python:3.X-slim images of the same Debian
 * release, from docker-library/repo-info (repos/python/local/<tag>.md, "Virtual Size", August 2026).
 */
const ANCHORS: Record<string, { image: string; mb: number }> = {
  "3.11/debian12": { image: "python:3.11-slim-bookworm", mb: 130.01 },
  "3.13/debian13": { image: "python:3.13-slim-trixie", mb: 118.06 },
};
const ANCHOR_SOURCE = "docker-library/repo-info, uncompressed amd64, Aug 2026";
const ANCHOR_PLATFORM = "linux/amd64";
/** A minimal image may be this much bigger than its anchor. */
const GOAL_FACTOR = 1.25;

const { values: args } = parseArgs({
  options: {
    platform: { type: "string" },
    version: { type: "string" },
    distro: { type: "string" },
    "extra-ca": { type: "string" },
  },
  strict: true,
});

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pad = (s: string, n: number) => s.padStart(n);

interface Measured {
  /** dpkg's architecture of the files: amd64, arm64, ... */
  arch: string;
  files: number;
  disk: number;
  tarball: number;
  dirs: [number, string][];
  subdirs: [number, string][];
  pyc: number;
  packages: { bytes: number; declaredKiB: number; name: string }[];
}

/** Runs in a container made of the image's layers only (no env, no user): one tagged line per figure. */
const MEASURE = [
  "set -eu",
  `echo "arch $(dpkg --print-architecture)"`,
  `echo "total $(du -sxb / | cut -f1) $(du -sxk / | cut -f1)"`,
  `du -xb --max-depth=3 / | sort -rn | sed -n '2,31p' | sed 's/^/dir /'`,
  "for d in /usr/lib/python3.[0-9]* /opt/app-root/lib/python3.*/site-packages; do",
  `  if [ -d "$d" ]; then du -xb --max-depth=1 "$d" | sort -rn | sed -n '2,9p' | sed 's/^/sub /'; fi`,
  "done",
  `echo "pyc $(find /usr/lib/python3* -xdev -type d -name __pycache__ -prune 2>/dev/null | xargs -r du -sb | awk '{s += $1} END {print s + 0}')"`,
];
/** Per package: dpkg's Installed-Size (KiB) and the bytes of the regular files its file list names (hard links once). */
const PACKAGES = [
  "dpkg-query -W -f='${Installed-Size} ${binary:Package}\\n' | sed 's/^/declared /'",
  "for f in /var/lib/dpkg/info/*.list; do",
  '  p=$(basename "$f" .list)',
  `  tr '\\n' '\\0' <"$f" | xargs -0 -r stat -c '%i %s %F' 2>/dev/null | awk -v p="$p" '$3 == "regular" && !seen[$1]++ {s += $2} END {print "ondisk " s + 0, p}'`,
  "done",
];

async function measure(image: Container, withPackages: boolean): Promise<Measured> {
  const rootfs = dag.container().withRootfs(image.rootfs());
  const out = await rootfs.withExec(["bash", "-c", [...MEASURE, ...(withPackages ? PACKAGES : [])].join("\n")]).stdout();
  const tarball = withPackages ? await image.asTarball({ forcedCompression: ImageLayerCompression.Gzip }).size() : 0;
  const m: Measured = { arch: "", files: 0, disk: 0, tarball, dirs: [], subdirs: [], pyc: 0, packages: [] };
  const declared = new Map<string, number>();
  const ondisk = new Map<string, number>();
  for (const line of out.split("\n")) {
    const [tag, a, b] = line.split(/\s+/);
    if (tag === "arch") m.arch = a;
    else if (tag === "total") [m.files, m.disk] = [Number(a), Number(b) * 1024];
    else if (tag === "dir") m.dirs.push([Number(a), b]);
    else if (tag === "sub") m.subdirs.push([Number(a), b]);
    else if (tag === "pyc") m.pyc = Number(a);
    else if (tag === "declared") declared.set(b, Number(a));
    else if (tag === "ondisk") ondisk.set(b, Number(a));
  }
  for (const [name, bytes] of ondisk) m.packages.push({ name, bytes, declaredKiB: declared.get(name) ?? declared.get(name.replace(/:.*/, "")) ?? 0 });
  m.packages.sort((x, y) => y.bytes - x.bytes);
  return m;
}

/** Debian's architecture name of an OCI platform: linux/arm64 -> arm64, linux/arm/v7 -> armhf. */
function debArch(platform: string): string {
  const arch = platform.split("/").slice(1).join("/");
  const names: Record<string, string> = { "arm/v7": "armhf", "arm/v6": "armel", "arm/v5": "armel", "386": "i386", ppc64le: "ppc64el" };
  return names[arch] ?? arch;
}

interface Result {
  target: Target;
  platform: string;
  m: Measured;
  /** The size of the files of its base image on this platform. */
  base: number;
}

async function main(): Promise<void> {
  const { spec, renderer } = await project();
  const targets = selectTargets(spec, { version: args.version, distro: args.distro })
    .filter((t) => t.distro.family === "deb")
    // Minimal before full for each Python version and distro, in the spec's order otherwise.
    .sort((a, b) => a.distro.id.localeCompare(b.distro.id) || Number(b.version.minimal) - Number(a.version.minimal));
  if (!targets.length) throw new Error("no Debian target matches --version/--distro");
  const caPath = args["extra-ca"] ?? (existsSync("/etc/ssl/certs/ca-certificates.crt") ? "/etc/ssl/certs/ca-certificates.crt" : "none");

  await ensureEngine(projectRoot, (l) => console.error(`[engine] ${l}`));
  await connection(async () => {
    const extraCa: Secret | undefined = caPath === "none" ? undefined : dag.setSecret("extra-ca", readFileSync(caPath, "utf8"));
    const enginePlatform = await dag.defaultPlatform();
    const platforms = (args.platform ?? enginePlatform)
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    console.log(
      `images.bench: ${targets.map((t) => targetName(t)).join(", ")}; platforms ${platforms.join(", ")} (engine: ${enginePlatform}); extra CA: ${caPath}`,
    );
    const results: Result[] = [];
    const failures: string[] = [];

    for (const platform of platforms) {
      const p = platform as Platform;
      // The base images first: a platform whose bases are not in the registry gets one line.
      const baseOf = (t: Target) => (t.version.minimal ? t.distro.minimalBase : t.distro.fullBase);
      const bases = new Map<string, number>();
      const missing: string[] = [];
      for (const base of new Set(targets.map(baseOf))) {
        try {
          // A registry with one platform's image answers for any platform: check what came.
          const b = await measure(dag.container({ platform: p }).from(base), false);
          if (b.arch === debArch(platform)) bases.set(base, b.files);
          else missing.push(`${base} (the registry has it for ${b.arch} only)`);
        } catch (e) {
          missing.push(`${base} (${firstLine(e)})`);
        }
      }
      if (missing.length) console.log(`\n== ${platform}: base image not available, its targets are not built: ${missing.join("; ")}`);

      for (const t of targets.filter((x) => bases.has(baseOf(x)))) {
        const label = `${targetName(t)} (${platform})`;
        const baseSize = bases.get(baseOf(t))!;
        console.log(`\n== ${label}`);
        let cold: number, first: number, warm: number, m: Measured;
        try {
          const nonce = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
          [, cold] = await timed(() => buildImage(withLineAfterFrom(renderer, `ENV S2I_BENCH_NONCE=${nonce}`), t, { extraCa, platform: p }).sync());
          [, first] = await timed(() => buildImage(renderer, t, { extraCa, platform: p }).sync());
          const image = buildImage(renderer, t, { extraCa, platform: p });
          [, warm] = await timed(() => image.sync());
          m = await measure(image, true);
        } catch (e) {
          failures.push(`${label}: ${firstLine(e)}`);
          console.log(`  not built: ${firstLine(e)}`);
          continue;
        }
        results.push({ target: t, platform, m, base: baseSize });

        console.log(
          `  size: ${mb(m.files)} of files (du -sxb /; compared with the anchor), ${mb(m.disk)} on disk (du -sxk /), OCI tarball ${mb(m.tarball)} (gzip layers)`,
        );
        console.log(`  base ${baseOf(t)}: ${mb(baseSize)}; the image adds ${mb(m.files - baseSize)}`);
        console.log(
          `  build: cold ${sec(cold)} (nonce ENV after FROM: every step after the base pull), warm ${sec(warm)} (unchanged, second build; the first took ${sec(first)})`,
        );
        console.log(`  biggest directories (du -xb, 3 levels):`);
        for (const [bytes, dir] of m.dirs.slice(0, 20)) console.log(`    ${pad(mb(bytes), 9)}  ${dir}`);
        console.log(`  standard library and venv, top entries:`);
        for (const [bytes, dir] of m.subdirs) console.log(`    ${pad(mb(bytes), 9)}  ${dir}`);
        console.log(`  standard library bytecode (__pycache__ under /usr/lib/python3*): ${mb(m.pyc)}`);
        console.log(`  biggest packages (bytes of their files on disk; dpkg Installed-Size):`);
        for (const k of m.packages.slice(0, 15)) console.log(`    ${pad(mb(k.bytes), 9)}  ${pad(mb(k.declaredKiB * 1024), 9)}  ${k.name}`);
      }
    }

    console.log("\n== summary");
    for (const r of results.filter((x) => x.target.version.minimal)) {
      const full = results.find(
        (o) =>
          o.platform === r.platform &&
          !o.target.version.minimal &&
          o.target.version.version === r.target.version.version &&
          o.target.distro.id === r.target.distro.id,
      );
      const name = `${targetName(r.target)} (${r.platform})`;
      if (full) console.log(`  ${name}: minimal ${mb(r.m.files)} / full ${mb(full.m.files)} = ${((100 * r.m.files) / full.m.files).toFixed(0)}%`);
      const anchor = ANCHORS[`${r.target.version.version}/${r.target.distro.id}`];
      if (!anchor) {
        console.log(`  ${name}: no public anchor for this version and distro`);
        continue;
      }
      const goal = anchor.mb * 1e6 * GOAL_FACTOR;
      const above = `${((100 * r.m.files) / (anchor.mb * 1e6) - 100).toFixed(0)}% above ${anchor.image} (${anchor.mb} MB; ${ANCHOR_SOURCE})`;
      if (r.platform !== ANCHOR_PLATFORM) {
        // No public uncompressed figure for other platforms: say how far off, judge nothing.
        const amd = results.find((o) => o.platform === ANCHOR_PLATFORM && o.target === r.target);
        const bases = amd ? `; its base is ${mb(r.base)} here against ${mb(amd.base)} on ${ANCHOR_PLATFORM}` : "";
        console.log(
          `  goal ${name}: not judged, the anchor is ${ANCHOR_PLATFORM}'s (repo-info gives no uncompressed size for ${r.platform}); ${mb(r.m.files)} is ${above}${bases}`,
        );
        continue;
      }
      console.log(`  goal ${name}: ${mb(r.m.files)} <= ${mb(goal)} (the anchor + 25%): ${r.m.files <= goal ? "MET" : "NOT met"}, ${above}`);
    }
    if (failures.length) throw new Error(`${failures.length} build(s) failed: ${failures.join("; ")}`);
  });
}

await runBench("images.bench", main);
