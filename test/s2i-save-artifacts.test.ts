// The download cache and save-artifacts: what the previous application image hands over, and how
// assemble takes it from the artifacts folder s2i puts beside the source. Run on the host with the
// fakes of test/helpers/tool-sandbox.ts.
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import { CACHE_TAKEN, judgeArtifactMembers, judgeRebuildLog, UV_FROM_CACHE } from "../ci/src/verify/incremental-judges.js";
import { bin, removeScratch, run, write } from "./helpers/s2i-sandbox.js";
import { toolSandbox, uvWheel } from "./helpers/tool-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);

/** A previous application image's home: pip's and uv's caches (with uv's relative links), uv's wheel, the source, a venv. */
function previousImage(box: ReturnType<typeof toolSandbox>): string {
  const home = path.join(box.dir, "previous-home");
  write(path.join(home, ".cache/pip/http-v2/a/b/wheel-body"), "django wheel\n");
  write(path.join(home, ".cache/uv/archive-v0/K1/django/__init__.py"), "# django\n");
  fs.mkdirSync(path.join(home, ".cache/uv/wheels-v8/pypi/django"), { recursive: true });
  fs.symlinkSync("../../../archive-v0/K1", path.join(home, ".cache/uv/wheels-v8/pypi/django/5.2-py3-none-any"));
  fs.mkdirSync(path.join(home, ".cache/uv-wheel"));
  uvWheel(path.join(home, ".cache/uv-wheel/uv-0.0.0-py3-none-any.whl"), path.join(box.dir, "uv-fake"));
  write(path.join(home, "manage.py"), 'print("source")\n');
  write(path.join(home, ".local/venvs/pipenv/bin/pipenv"), "#!/bin/sh\n");
  return home;
}

/** Runs save-artifacts with `env` and returns its stdout as a file, and the archive's members. */
async function saveArtifactsOf(box: ReturnType<typeof toolSandbox>, env: NodeJS.ProcessEnv): Promise<{ archive: string; members: string[] }> {
  const archive = path.join(box.dir, "artifacts.tar");
  const r = await run("bash", ["-c", `"$0" > "${archive}"`, bin("s2i/bin/save-artifacts")], { env: { PATH: "/usr/bin:/bin", TMPDIR: box.tmp, ...env } });
  if (r.code !== 0) throw new Error(`save-artifacts exited ${r.code}: ${r.stderr}`);
  const list = await run("tar", ["-tf", archive]);
  return { archive, members: list.stdout.split("\n").filter(Boolean) };
}

test("save-artifacts archives pip's and uv's caches and uv's wheel as pip/, uv/ and uv-wheel/, nothing else, links as they are", async (t) => {
  const box = toolSandbox("save-artifacts");
  const home = previousImage(box);
  const { archive, members } = await saveArtifactsOf(box, { HOME: home });
  t.is(judgeArtifactMembers(members), undefined, members.join(" "));
  t.true(members.includes("pip/http-v2/a/b/wheel-body"), members.join(" "));
  t.true(members.includes("uv/archive-v0/K1/django/__init__.py"), members.join(" "));
  t.true(members.includes("uv-wheel/uv-0.0.0-py3-none-any.whl"), members.join(" "));
  const verbose = await run("tar", ["-tvf", archive]);
  t.regex(verbose.stdout, /uv\/wheels-v8\/pypi\/django\/5\.2-py3-none-any -> \.\.\/\.\.\/\.\.\/archive-v0\/K1/);
  t.deepEqual(fs.readdirSync(box.tmp), [], "its scratch archive is removed");

  // PIP_CACHE_DIR and UV_CACHE_DIR (quoted, as .s2i/environment gives them) name the caches.
  const elsewhere = path.join(box.dir, "elsewhere");
  fs.mkdirSync(elsewhere);
  fs.renameSync(path.join(home, ".cache/pip"), path.join(elsewhere, "pip-cache"));
  const moved = await saveArtifactsOf(box, { HOME: home, PIP_CACHE_DIR: `"${path.join(elsewhere, "pip-cache")}"` });
  t.true(moved.members.includes("pip/http-v2/a/b/wheel-body"), moved.members.join(" "));

  // No cache at all: a valid, empty archive.
  const empty = await saveArtifactsOf(box, { HOME: path.join(box.dir, "nothing") });
  t.deepEqual(empty.members, []);
  t.true(fs.statSync(empty.archive).size > 0, "an empty tar archive, not an empty stream");
});

test("assemble takes the caches from the artifacts beside the source; pip and uv then use them", async (t) => {
  const box = toolSandbox("assemble-artifacts");
  const { archive } = await saveArtifactsOf(box, { HOME: previousImage(box) });
  const artifacts = path.join(box.dir, "artifacts");
  fs.mkdirSync(artifacts);
  await run("tar", ["-xf", archive, "-C", artifacts]);
  box.files(["requirements.txt"]);
  const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, PIP_NO_CACHE_DIR: "off", ENABLE_UV: "1" }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(judgeRebuildLog(r.stdout), undefined, r.stdout);
  t.true(r.stdout.includes(`${CACHE_TAKEN}pip uv uv-wheel)\n`), r.stdout);
  t.is(fs.readFileSync(path.join(box.home, ".cache/pip/http-v2/a/b/wheel-body"), "utf8"), "django wheel\n");
  t.is(fs.readlinkSync(path.join(box.home, ".cache/uv/wheels-v8/pypi/django/5.2-py3-none-any")), "../../../archive-v0/K1");
  t.deepEqual(fs.readdirSync(artifacts), [], "nothing of the artifacts is left to stay in the image");
  // uv comes out of the handed-over wheel: no pip at all, and uv installs.
  t.true(r.stdout.includes(`${UV_FROM_CACHE}\n`), r.stdout);
  t.deepEqual(box.toolCalls(), ["uv pip install --python <app-root>/bin/python -r requirements.txt |"]);

  // A pip build takes the same caches; the image's PIP_NO_CACHE_DIR=off would keep pip from its cache: assemble drops it.
  const pipBox = toolSandbox("assemble-artifacts-pip");
  fs.mkdirSync(path.join(pipBox.dir, "artifacts"));
  await run("tar", ["-xf", archive, "-C", path.join(pipBox.dir, "artifacts")]);
  pipBox.files(["requirements.txt"]);
  const rp = await run("bash", [bin("s2i/bin/assemble")], { env: { ...pipBox.env, PIP_NO_CACHE_DIR: "off" }, cwd: pipBox.home });
  t.is(rp.code, 0, rp.stderr);
  t.true(rp.stdout.includes(`${CACHE_TAKEN}pip uv uv-wheel)\n`), rp.stdout);
  t.is(
    pipBox
      .calls()
      .split("\n")
      .find((l) => l.startsWith("pip install -r")),
    "pip install -r requirements.txt |",
  );

  // Without artifacts nothing is taken, and HOME gets no cache folder of assemble's making.
  const plain = toolSandbox("assemble-no-artifacts");
  plain.files(["requirements.txt"]);
  const r2 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...plain.env, PIP_NO_CACHE_DIR: "off" }, cwd: plain.home });
  t.is(r2.code, 0, r2.stderr);
  t.regex(judgeRebuildLog(r2.stdout) ?? "passed", /did not take the archive/);
  t.deepEqual(fs.readdirSync(plain.home), ["requirements.txt"]);

  // A cache the source brings stays as it is; the other one is taken.
  const own = toolSandbox("assemble-own-cache");
  fs.mkdirSync(path.join(own.dir, "artifacts"));
  await run("tar", ["-xf", archive, "-C", path.join(own.dir, "artifacts")]);
  write(path.join(own.src, ".cache/pip/mine"), "the source's\n");
  const r3 = await run("bash", [bin("s2i/bin/assemble")], { env: own.env, cwd: own.home });
  t.is(r3.code, 0, r3.stderr);
  t.true(r3.stdout.includes(`${CACHE_TAKEN}uv uv-wheel)\n`), r3.stdout);
  t.deepEqual(fs.readdirSync(path.join(own.home, ".cache/pip")), ["mine"]);

  // A cache that cannot be put where pip looks (a file stands in its way) is a warning; the build goes on.
  const blocked = toolSandbox("assemble-blocked-cache");
  fs.mkdirSync(path.join(blocked.dir, "artifacts"));
  await run("tar", ["-xf", archive, "-C", path.join(blocked.dir, "artifacts")]);
  write(path.join(blocked.dir, "a-file"), "not a folder\n");
  blocked.files(["requirements.txt"]);
  const r4 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...blocked.env, PIP_CACHE_DIR: path.join(blocked.dir, "a-file/pip") }, cwd: blocked.home });
  t.is(r4.code, 0, r4.stderr);
  t.true(
    r4.stdout.includes(`WARNING: the previous build's pip cache could not be moved to ${path.join(blocked.dir, "a-file/pip")}; building without it.\n`),
    r4.stdout,
  );
  t.true(r4.stdout.includes(`${CACHE_TAKEN}uv uv-wheel)\n`), r4.stdout);
  t.true(r4.stdout.includes("---> Installing dependencies from requirements.txt with pip\n"), r4.stdout);
});

test("assemble: the cache variables pip and uv see; DISABLE_DOWNLOAD_CACHE turns both caches off and drops the artifacts", async (t) => {
  const cacheVars = `echo "PIP_CACHE_DIR=\${PIP_CACHE_DIR-unset} PIP_NO_CACHE_DIR=\${PIP_NO_CACHE_DIR-unset} UV_CACHE_DIR=\${UV_CACHE_DIR-unset} UV_NO_CACHE=\${UV_NO_CACHE-unset}" >> "$LOG"`;
  // <home> and <box> stand for the sandbox's HOME and folder.
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{}, "PIP_CACHE_DIR=<home>/.cache/pip PIP_NO_CACHE_DIR=unset UV_CACHE_DIR=<home>/.cache/uv UV_NO_CACHE=unset"],
    [
      { PIP_CACHE_DIR: "'<box>/builds/pip'", UV_CACHE_DIR: "<box>/builds/uv" },
      "PIP_CACHE_DIR=<box>/builds/pip PIP_NO_CACHE_DIR=unset UV_CACHE_DIR=<box>/builds/uv UV_NO_CACHE=unset",
    ],
    [{ DISABLE_DOWNLOAD_CACHE: "1" }, "PIP_CACHE_DIR=unset PIP_NO_CACHE_DIR=off UV_CACHE_DIR=unset UV_NO_CACHE=1"],
  ];
  for (const [template, expected] of cases) {
    const box = toolSandbox("assemble-cache-vars");
    const env = Object.fromEntries(Object.entries(template).map(([k, v]) => [k, v!.replace("<box>", box.dir)]));
    write(path.join(box.fakeBin, "pip"), `#!/bin/sh\nLOG="${box.log}"\n${cacheVars}\n`, 0o755);
    fs.mkdirSync(path.join(box.dir, "artifacts/uv"), { recursive: true });
    box.files(["requirements.txt"]);
    const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, PIP_NO_CACHE_DIR: "off", ...env }, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    const calls = box.calls().replaceAll(box.dir, "<box>");
    t.deepEqual(
      calls.split("\n").filter((l) => !l.startsWith("fix-permissions") && l),
      [expected],
      JSON.stringify(template),
    );
    t.deepEqual(fs.readdirSync(path.join(box.dir, "artifacts")), [], "the artifacts do not stay behind");
    t.is(r.stdout.includes(CACHE_TAKEN), !env.DISABLE_DOWNLOAD_CACHE, JSON.stringify(env));
  }
});
