// The generator CLI as users run it: the compiled dist/ci/cli.js under plain node (npm ci builds it).
import test, { type ExecutionContext } from "ava";
import { execFile } from "node:child_process";
import { access, chmod, constants, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { TemplateError } from "../ci/src/errors.js";
import type { MatrixRow as Row } from "../ci/src/spec/matrix-table.js";
import { loadProject, type Project } from "../ci/src/project.js";
import { TemplateCache, useTemplateCache } from "../ci/src/render/template-cache.js";
import { renderTree } from "../ci/src/render/tree.js";
import { FsSource } from "../ci/src/spec/source.js";
import { dockerfileFacts } from "./helpers/dockerfile-facts.js";
import { OverlaySource } from "./helpers/overlay-source.js";
import { projectRoot } from "./helpers/project.js";
import { cli, cliJs, cliWith, compiledCli, filesBelow } from "./helpers/cli.js";
import { removeWhenDone } from "./helpers/scratch.js";

const run = promisify(execFile);

async function matrixJson(...args: string[]): Promise<Row[]> {
  const r = await cli("matrix", "--json", ...args);
  if (r.code !== 0) throw new Error(`matrix --json failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Row[];
}

/** A version key built on several distros, and two of them: what the filter tests need. */
async function sharedKey(): Promise<{ key: string; picked: Row; other: Row }> {
  const rows = await matrixJson();
  const key = rows.find((r) => rows.filter((o) => o.version === r.version).length >= 2)!.version;
  const [picked, other] = rows.filter((r) => r.version === key);
  return { key, picked, other };
}

async function freshTree(t: ExecutionContext): Promise<string> {
  const out = removeWhenDone(t, await mkdtemp(join(tmpdir(), "gen-")));
  const r = await cli("generate", "--out", out, "--quiet");
  if (r.code !== 0) throw new Error(r.stderr);
  return out;
}

const dockerfilesIn = async (out: string) => (await filesBelow(out)).filter((p) => /^[^/]+\/Dockerfile\.[^/]+$/.test(p)).sort();

// --- the compiled CLI ---------------------------------------------------------------

test("the compiled CLI is what package.json runs: bin, generate and matrix are plain node on dist/", async (t) => {
  await t.notThrowsAsync(compiledCli());
  const pkg = JSON.parse(await readFile(join(projectRoot, "package.json"), "utf8")) as { bin: Record<string, string>; scripts: Record<string, string> };
  t.is(join(projectRoot, Object.values(pkg.bin)[0]), cliJs);
  t.regex(pkg.scripts["generate"], /^node dist\/ci\/cli\.js generate\b/);
  t.regex(pkg.scripts["matrix"], /^node dist\/ci\/cli\.js matrix\b/);
  t.regex(pkg.scripts["prepare"], /tsconfig\.cli\.json/);
  t.is((await readFile(cliJs, "utf8")).split("\n")[0], "#!/usr/bin/env node");
  await access(cliJs, constants.X_OK);
  const help = await run(cliJs, ["--help"], { cwd: tmpdir() }); // as a bin, from any folder
  t.regex(help.stdout, /^Usage: s2i-python <command>/);
});

test("the compiled CLI loads no Dagger SDK", async (t) => {
  await compiledCli();
  for (const f of await filesBelow(join(projectRoot, "dist"))) {
    t.false((await readFile(join(projectRoot, "dist", f), "utf8")).includes("@dagger.io/dagger"), `dist/${f} imports the Dagger SDK`);
  }
});

// --- generate -------------------------------------------------------------------------

test("generate writes every target that matrix --json lists, in upstream's layout, with file modes", async (t) => {
  const rows = await matrixJson();
  const out = removeWhenDone(t, await mkdtemp(join(tmpdir(), "gen-")));
  const r = await cli("generate", "--out", out);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, new RegExp(`generated ${rows.length} targets, \\d+ files into `));
  t.deepEqual((await readdir(out)).sort(), [...new Set(rows.map((x) => x.version))].sort());
  t.deepEqual(await dockerfilesIn(out), rows.map((x) => x.dockerfile).sort());
  for (const key of new Set(rows.map((x) => x.version))) {
    t.is((await stat(join(out, key, "s2i/bin/assemble"))).mode & 0o777, 0o755, key);
    t.is((await stat(join(out, key, "README.md"))).mode & 0o777, 0o644, key);
  }
  for (const row of rows) t.true(dockerfileFacts(await readFile(join(out, row.dockerfile), "utf8")).from.includes(row.from), row.dockerfile);
  t.deepEqual(
    (await readdir(out)).filter((f) => f.startsWith(".")),
    [],
    "no staging folder left behind",
  );
});

test("generate without a filter removes a version folder the spec no longer has; --check reports its files first", async (t) => {
  const out = await freshTree(t);
  await mkdir(join(out, "2.7/s2i/bin"), { recursive: true });
  await writeFile(join(out, "2.7/Dockerfile.rhel7"), "from a version dropped from specs/versions.yml\n");
  await writeFile(join(out, "2.7/s2i/bin/run"), "#!/bin/sh\n");
  await mkdir(join(out, "2.7-retired"));
  await writeFile(join(out, "2.7-retired/Dockerfile"), "not a version key: not ours\n");
  const check = await cli("generate", "--check", out);
  t.is(check.code, 1);
  t.deepEqual(
    check.stderr.split("\n").filter((l) => l.includes("2.7")),
    ["not generated: 2.7/Dockerfile.rhel7", "not generated: 2.7/s2i/bin/run"],
  );
  const r = await cli("generate", "--out", out);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^removed .*\/2\.7\/: no longer in specs\/versions\.yml$/m);
  t.false((await readdir(out)).includes("2.7"));
  t.is(await readFile(join(out, "2.7-retired/Dockerfile"), "utf8"), "not a version key: not ours\n");
  t.is((await cli("generate", "--check", out)).code, 0);
  // With a filter, nothing is removed or reported outside the selected keys.
  await mkdir(join(out, "2.7"));
  await writeFile(join(out, "2.7/Dockerfile.rhel7"), "x\n");
  const { key } = await sharedKey();
  t.is((await cli("generate", "--check", out, "--version", key)).code, 0);
  t.is((await cli("generate", "--out", out, "--version", key, "--quiet")).code, 0);
  t.true((await readdir(out)).includes("2.7"));
});

test("generate without a filter makes each version folder hold exactly its files (stale ones go) and leaves the rest of --out alone", async (t) => {
  const out = await freshTree(t);
  const { key } = await sharedKey();
  const fresh = await filesBelow(out);
  await writeFile(join(out, key, "STALE"), "from an older template set\n");
  await mkdir(join(out, key, "old/deeper"), { recursive: true });
  await writeFile(join(out, key, "old/deeper/file"), "stale too\n");
  // Things in the way: a folder where a file goes, and a link to a folder outside where a folder goes.
  await rm(join(out, key, "README.md"));
  await mkdir(join(out, key, "README.md"));
  const outside = removeWhenDone(t, await mkdtemp(join(tmpdir(), "outside-")));
  await rm(join(out, key, "s2i"), { recursive: true });
  await symlink(outside, join(out, key, "s2i"));
  await mkdir(join(out, "2.7-retired"));
  await writeFile(join(out, "2.7-retired/Dockerfile.rhel7"), "kept\n");
  await writeFile(join(out, "Makefile"), "kept\n");
  const r = await cli("generate", "--out", out, "--quiet");
  t.is(r.code, 0, r.stderr);
  t.deepEqual(await filesBelow(out), [...fresh, "2.7-retired/Dockerfile.rhel7", "Makefile"].sort());
  t.true((await lstat(join(out, key, "s2i"))).isDirectory(), "the link was replaced by a folder");
  t.deepEqual(await readdir(outside), [], "nothing written through the link");
  t.is(await readFile(join(out, "2.7-retired/Dockerfile.rhel7"), "utf8"), "kept\n");
  t.is(await readFile(join(out, "Makefile"), "utf8"), "kept\n");
  t.is((await cli("generate", "--check", out)).code, 0);
});

test("generate --version/--distro writes only the selected targets' files and deletes nothing", async (t) => {
  const out = await freshTree(t);
  const { key, picked, other } = await sharedKey();
  const before = await filesBelow(out);
  await writeFile(join(out, key, "SENTINEL"), "mine\n");
  await writeFile(join(out, other.dockerfile), "# edited by hand\n");
  await writeFile(join(out, picked.dockerfile), "# edited by hand\n");
  const r = await cli("generate", "--out", out, "--version", key, "--distro", picked.distro);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim().split("\n")[0], `wrote ${out}/${picked.dockerfile}`);
  t.is(await readFile(join(out, key, "SENTINEL"), "utf8"), "mine\n", "a file of the version folder that generate does not write stays");
  t.is(await readFile(join(out, other.dockerfile), "utf8"), "# edited by hand\n", "another distro's Dockerfile stays as it was");
  t.not(await readFile(join(out, picked.dockerfile), "utf8"), "# edited by hand\n", "the selected Dockerfile is rendered again");
  t.deepEqual(await filesBelow(out), [...before, `${key}/SENTINEL`].sort(), "every other file is still there, no temporary file left");
  const check = await cli("generate", "--check", out, "--version", key, "--distro", picked.distro);
  t.is(check.code, 1);
  t.deepEqual(
    check.stderr.trim().split("\n").slice(0, -1),
    [`not generated: ${key}/SENTINEL`],
    "the rendered files match; only the sentinel is not generate's",
  );
});

test("a generate that fails part way leaves every file as it was and no temporary file behind", async (t) => {
  const out = await freshTree(t);
  const { key, picked } = await sharedKey();
  await writeFile(join(out, picked.dockerfile), "# edited by hand\n");
  // With a filter nothing is cleared out of the way: a file where the s2i folder goes stops the write.
  await rm(join(out, key, "s2i"), { recursive: true });
  await writeFile(join(out, key, "s2i"), "in the way\n");
  const before = await filesBelow(out);
  const r = await cli("generate", "--out", out, "--version", key, "--distro", picked.distro);
  t.is(r.code, 1);
  t.regex(r.stderr, /^error: .*\n$/);
  t.is(await readFile(join(out, picked.dockerfile), "utf8"), "# edited by hand\n", "files written before the failure were not put in place");
  t.deepEqual(await filesBelow(out), before, "no temporary file left");
});

test("generate --version/--distro into an empty folder writes that target's tree only", async (t) => {
  const { key, picked } = await sharedKey();
  const out = removeWhenDone(t, await mkdtemp(join(tmpdir(), "gen-")));
  const r = await cli("generate", "--out", out, "--version", key, "--distro", picked.distro);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(await readdir(out), [key]);
  t.deepEqual(await dockerfilesIn(out), [picked.dockerfile]);
});

// --- generate --check --------------------------------------------------------------

test("generate --check passes on a fresh tree, whole or filtered, and prints one line", async (t) => {
  const out = await freshTree(t);
  const r = await cli("generate", "--check", out);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^.+: \d+ files of \d+ targets match a fresh render\n$/);
  const { key, picked } = await sharedKey();
  t.is((await cli("generate", "--check", out, "--version", key)).code, 0);
  t.is((await cli("generate", "--check", out, "--distro", picked.distro)).code, 0);
});

test("generate --check names each differing file on its own line, exits 1 and writes nothing", async (t) => {
  const out = await freshTree(t);
  const { key, picked } = await sharedKey();
  const edited = `${await readFile(join(out, picked.dockerfile), "utf8")}RUN echo edited by hand\n`;
  await writeFile(join(out, picked.dockerfile), edited);
  await rm(join(out, key, "README.md"));
  await writeFile(join(out, key, "Dockerfile.old"), "stray\n");
  await chmod(join(out, key, "s2i/bin/run"), 0o644);
  const before = await filesBelow(out);
  const r = await cli("generate", "--check", out);
  t.is(r.code, 1);
  const lines = r.stderr.trim().split("\n");
  t.deepEqual(
    lines.slice(0, -1).sort(),
    [
      `differs: ${picked.dockerfile}`,
      `missing: ${key}/README.md`,
      `mode: ${key}/s2i/bin/run 0644, expected 0755`,
      `not generated: ${key}/Dockerfile.old`,
    ].sort(),
  );
  t.regex(lines.at(-1)!, /4 difference\(s\)/);
  t.deepEqual(await filesBelow(out), before, "nothing written or removed");
  t.is(await readFile(join(out, picked.dockerfile), "utf8"), edited);
});

test("generate --check with a filter compares only the selected targets; the other distros' files are not strays", async (t) => {
  const out = await freshTree(t);
  const { key, picked, other } = await sharedKey();
  await writeFile(join(out, other.dockerfile), "# edited by hand\n");
  const same = await cli("generate", "--check", out, "--version", key, "--distro", picked.distro);
  t.is(same.code, 0, same.stderr);
  await writeFile(join(out, picked.dockerfile), "# edited by hand\n");
  const r = await cli("generate", "--check", out, "--version", key, "--distro", picked.distro);
  t.is(r.code, 1);
  t.deepEqual(r.stderr.trim().split("\n").slice(0, -1), [`differs: ${picked.dockerfile}`]);
});

test("generate --check reports the files of a folder that was never generated as missing", async (t) => {
  const { key, picked } = await sharedKey();
  const out = removeWhenDone(t, await mkdtemp(join(tmpdir(), "gen-")));
  const r = await cli("generate", "--check", out, "--version", key, "--distro", picked.distro);
  t.is(r.code, 1);
  t.true(r.stderr.includes(`missing: ${picked.dockerfile}\n`));
  t.deepEqual(await readdir(out), []);
});

test("generate --check with bad input exits 2 with one line", async (t) => {
  const out = await freshTree(t);
  for (const args of [
    ["--check", join(out, "no-such-folder")],
    ["--check", out, "--version", "2.7"],
    ["--check", out, "--out", out],
  ]) {
    const r = await cli("generate", ...args);
    t.is(r.code, 2, args.join(" "));
    t.is(r.stderr.trim().split("\n").length, 1, r.stderr);
    t.regex(r.stderr, /^error: /);
  }
});

// --- bad input ---------------------------------------------------------------------

test("a bad version, distro or pair prints one line naming the valid choices, exits 2 and writes nothing", async (t) => {
  const rows = await matrixJson();
  const versions = [...new Set(rows.map((r) => r.version))];
  const key = versions[0];
  const distros = rows.filter((r) => r.version === key).map((r) => r.distro);
  const elsewhere = rows.find((r) => !distros.includes(r.distro))!.distro;
  const cases: [string[], RegExp, string[]][] = [
    [["--version", "2.7"], /^error: unknown version "2\.7"; valid versions: /, versions],
    [["--distro", "alpine"], /^error: unknown distro "alpine"; valid distros: /, [...new Set(rows.map((r) => r.distro))]],
    [
      ["--version", key, "--distro", elsewhere],
      new RegExp(`^error: version ${key.replace(".", "\\.")} is not built on ${elsewhere}; its distros: ${distros.join(", ")}$`),
      [],
    ],
  ];
  for (const [args, line, named] of cases) {
    const out = join(removeWhenDone(t, await mkdtemp(join(tmpdir(), "gen-"))), "out");
    const r = await cli("generate", "--out", out, ...args);
    t.is(r.code, 2, args.join(" "));
    t.is(r.stdout, "");
    const lines = r.stderr.trim().split("\n");
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0], line);
    for (const n of named) t.true(lines[0].includes(n), `${args.join(" ")}: names ${n}`);
    await t.throwsAsync(stat(out), { code: "ENOENT" });
  }
});

test("an unknown option, command or a missing --out is one line and exit 2", async (t) => {
  for (const args of [["generate", "--out", "x", "--frob"], ["frob"], [], ["generate"], ["matrix", "--out", "x"], ["generate", "--out"]]) {
    const r = await cli(...args);
    t.is(r.code, 2, args.join(" "));
    t.is(r.stderr.trim().split("\n").length, 1, `${args.join(" ")}: ${r.stderr}`);
    t.regex(r.stderr, /^error: /);
  }
});

test("--help per command: each lists its own options; an unknown option names the ones the command takes", async (t) => {
  const own: Record<string, string[]> = {
    generate: ["--out", "--check", "--version", "--distro", "--quiet"],
    matrix: ["--version", "--distro", "--json", "--no-subscription"],
  };
  for (const [command, options] of Object.entries(own)) {
    const help = await cli(command, "--help");
    t.is(help.code, 0, help.stderr);
    for (const o of options) t.regex(help.stdout, new RegExp(`^ +${o} `, "m"), `${command} --help lists ${o}`);
    const other = Object.values(own)
      .flat()
      .find((o) => !options.includes(o))!;
    t.notRegex(help.stdout, new RegExp(`^ +${other} `, "m"), `${command} --help does not list ${other}`);
    const bad = await cli(command, "--frob");
    t.is(bad.code, 2);
    t.is(bad.stderr, `error: unknown option --frob; ${command} takes ${options.join(", ")} (see --help)\n`);
  }
  const top = await cli("--help");
  t.regex(top.stdout, /^ +s2i-python generate +/m);
  t.regex(top.stdout, /^ +s2i-python matrix +/m);
  t.is((await cli("frob")).stderr, 'error: unknown command "frob"; commands: generate, matrix\n');
});

// --- matrix ------------------------------------------------------------------------

test("matrix --json: one row per version/distro pair, each with its Dockerfile, one default distro per version", async (t) => {
  const rows = await matrixJson();
  t.true(rows.length > 0);
  t.is(new Set(rows.map((r) => `${r.version} ${r.distro}`)).size, rows.length);
  for (const r of rows) {
    t.regex(r.dockerfile, new RegExp(`^${r.version.replace(".", "\\.")}/Dockerfile\\.[a-z0-9]+$`));
    t.is(r.image, r.version.endsWith("-minimal") ? "minimal" : "full");
  }
  for (const v of new Set(rows.map((r) => r.version))) t.is(rows.filter((r) => r.version === v && r.default).length, 1, v);
});

test("matrix prints a table: a header, one line per target, and the count", async (t) => {
  const { key } = await sharedKey();
  const rows = await matrixJson("--version", key);
  const r = await cli("matrix", "--version", key);
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  t.regex(lines[0], /^VERSION\s+DISTRO\s+IMAGE\s+DOCKERFILE\s+FROM\s+NAME$/);
  t.deepEqual(
    lines.slice(1, -1).map((l) => l.split(/\s+/)[0]),
    rows.map(() => key),
  );
  t.is(lines.at(-1), `${rows.length} targets; * = default distro of the version`);
});

test("matrix --no-subscription lists exactly the targets whose distro is not RHEL", async (t) => {
  const all = await matrixJson();
  const free = await matrixJson("--no-subscription");
  const { spec } = await loadProject(new FsSource(projectRoot));
  const osOf = new Map([...spec.distros.values()].map((d) => [d.id, d.os]));
  t.true(free.length > 0);
  t.deepEqual(
    free,
    all.filter((r) => osOf.get(r.distro) !== "rhel"),
    "the same rows as matrix --json, in order, less the RHEL ones",
  );
  const some = await matrixJson("--no-subscription", "--version", free[0].version);
  t.deepEqual(
    some,
    free.filter((r) => r.version === free[0].version),
    "combines with --version",
  );
});

// --- the CLI's template cache -------------------------------------------------------

test("with the template cache cold, warm or off, generate writes the same tree", async (t) => {
  const dir = removeWhenDone(t, await mkdtemp(join(tmpdir(), "tcache-")));
  const cache = join(dir, "templates.json");
  const trees: string[] = [];
  const written: number[] = [];
  for (const setting of [cache, cache, "off"]) {
    const out = join(dir, `out-${trees.length}`);
    const r = await cliWith({ S2I_PYTHON_TEMPLATE_CACHE: setting }, "generate", "--out", out, "--quiet");
    t.is(r.code, 0, r.stderr);
    trees.push(out);
    written.push((await stat(cache)).mtimeMs);
  }
  t.is(written[1], written[0], "the warm run found every template in the cache (a miss rewrites it)");
  t.true(Object.keys(JSON.parse(await readFile(cache, "utf8")) as object).length > 0, "the cold run filled the cache");
  const listing = await filesBelow(trees[0]);
  for (const other of trees.slice(1)) {
    t.deepEqual(await filesBelow(other), listing);
    for (const f of listing) t.is(await readFile(join(other, f), "utf8"), await readFile(join(trees[0], f), "utf8"), f);
  }
  // And the tree is what the renderer gives in process, with no cache at all.
  const { spec, renderer } = await loadProject(new FsSource(projectRoot));
  for (const f of renderTree(renderer, spec.targets)) t.is(await readFile(join(trees[1], f.path), "utf8"), f.content, f.path);
});

test("a corrupt template cache is ignored and written anew", async (t) => {
  const dir = removeWhenDone(t, await mkdtemp(join(tmpdir(), "tcache-")));
  const cache = join(dir, "templates.json");
  await writeFile(cache, "{ not json");
  const out = join(dir, "out");
  const r = await cliWith({ S2I_PYTHON_TEMPLATE_CACHE: cache }, "generate", "--out", out, "--quiet");
  t.is(r.code, 0, r.stderr);
  t.true(Object.keys(JSON.parse(await readFile(cache, "utf8")) as object).length > 0);
  t.is((await cli("generate", "--check", out)).code, 0);
});

// In process: compile() reads the cache that useTemplateCache turned on (serial: it is module state).
test.serial("with the template cache on, a changed template is compiled again and a syntax error still names the template and line", async (t) => {
  const file = join(removeWhenDone(t, await mkdtemp(join(tmpdir(), "tcache-"))), "templates.json");
  const cold = TemplateCache.open(file);
  useTemplateCache(cold);
  try {
    const plain = await loadProject(new FsSource(projectRoot));
    cold.save();
    useTemplateCache(TemplateCache.open(file)); // warm: what the next run reads
    const target = plain.spec.targets.find((x) => !x.version.minimal)!;
    const readmeOf = (p: Project) => p.renderer.renderTarget(target).find((f) => f.path === `${target.version.key}/README.md`)!.content;
    const before = readmeOf(plain);
    const edited = await loadProject(new OverlaySource({ "templates/readme/full.md.hbs": "Edited: Python {{version}}\n" }));
    t.is(readmeOf(edited), `Edited: Python ${target.version.version}\n`);
    t.is(readmeOf(await loadProject(new FsSource(projectRoot))), before, "the kept entry for the real template still serves");
    const e = await t.throwsAsync(loadProject(new OverlaySource({ "templates/readme/full.md.hbs": "ok\n{{#if minimal}\n" })), { instanceOf: TemplateError });
    t.regex(e!.message, /^templates\/readme\/full\.md\.hbs: Parse error on line 2:/);
  } finally {
    useTemplateCache(undefined);
  }
});
