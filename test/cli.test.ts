import test from "ava";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectRoot } from "./helpers/project.js";

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run("npx", ["tsx", "ci/cli.ts", ...args], { cwd: projectRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

test("generate writes every pair of the matrix in upstream's layout, with file modes", async (t) => {
  const out = await mkdtemp(join(tmpdir(), "gen-"));
  const r = await cli("generate", "--out", out);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /generated 31 targets, \d+ files into /);
  const keys = (await readdir(out)).sort();
  t.deepEqual(keys, ["3.11", "3.11-minimal", "3.12", "3.12-minimal", "3.13", "3.13-minimal", "3.14", "3.14-minimal", "3.6", "3.8", "3.8-minimal", "3.9", "3.9-minimal"]);
  t.deepEqual((await readdir(join(out, "3.12-minimal"))).filter((f) => f.startsWith("Dockerfile")).sort(), ["Dockerfile.c10s", "Dockerfile.c9s", "Dockerfile.rhel10", "Dockerfile.rhel8", "Dockerfile.rhel9"]);
  t.deepEqual((await readdir(join(out, "3.13"))).filter((f) => f.startsWith("Dockerfile")).sort(), ["Dockerfile.c10s", "Dockerfile.debian13", "Dockerfile.fedora"]);
  t.is((await stat(join(out, "3.8/s2i/bin/assemble"))).mode & 0o777, 0o755);
  t.is((await stat(join(out, "3.8/README.md"))).mode & 0o777, 0o644);
  t.truthy(await stat(join(out, "3.11-minimal/test/from-dockerfile/uwsgi.Dockerfile.debian12")));
  t.truthy(await stat(join(out, "3.12-minimal/root/usr/bin/rpm-file-permissions")));
  t.true((await readFile(join(out, "3.8/Dockerfile.rhel8"), "utf8")).includes("FROM registry.access.redhat.com/ubi8/s2i-base:1"));
});

test("generate --version/--distro writes only the selected targets", async (t) => {
  const out = await mkdtemp(join(tmpdir(), "gen-"));
  const r = await cli("generate", "--out", out, "--version", "3.12-minimal", "--distro", "c9s");
  t.is(r.code, 0, r.stderr);
  t.deepEqual(await readdir(out), ["3.12-minimal"]);
  t.deepEqual((await readdir(join(out, "3.12-minimal"))).filter((f) => f.startsWith("Dockerfile")), ["Dockerfile.c9s"]);
});

for (const [args, line] of [
  [["--version", "2.7"], /^error: unknown version "2\.7"; valid versions: 3\.6, .*3\.14-minimal$/],
  [["--distro", "alpine"], /^error: unknown distro "alpine"; valid distros: .*rhel9$/],
  [["--version", "3.8", "--distro", "c9s"], /^error: version 3\.8 is not built on c9s; its distros: rhel8$/],
] as const) {
  test(`generate ${args.join(" ")} prints one line naming the valid choices, exits non-zero and writes nothing`, async (t) => {
    const out = join(await mkdtemp(join(tmpdir(), "gen-")), "out");
    const r = await cli("generate", "--out", out, ...args);
    t.is(r.code, 2);
    t.is(r.stdout, "");
    const lines = r.stderr.trim().split("\n");
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0], line);
    await t.throwsAsync(stat(out), { code: "ENOENT" });
  });
}

test("matrix --json lists every target with its Dockerfile and default marker", async (t) => {
  const r = await cli("matrix", "--json");
  t.is(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { version: string; distro: string; dockerfile: string; default: boolean }[];
  t.is(rows.length, 31);
  t.deepEqual(rows.find((x) => x.version === "3.8" && x.default), { version: "3.8", distro: "rhel8", image: "full", dockerfile: "3.8/Dockerfile.rhel8", from: "registry.access.redhat.com/ubi8/s2i-base:1", name: "ubi8/python-38", default: true } as never);
});

test("matrix prints a table with a header and a count", async (t) => {
  const r = await cli("matrix", "--version", "3.13-minimal");
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  t.regex(lines[0], /^VERSION\s+DISTRO\s+IMAGE\s+DOCKERFILE\s+FROM\s+NAME$/);
  t.is(lines.length, 5);
  t.is(lines.at(-1), "3 targets; * = default distro of the version");
});
