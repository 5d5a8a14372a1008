// assemble: which file installs the dependencies (uv.lock, pylock.toml, Pipfile.lock, ...), with
// which tool, in one order; uv's index and CA; a stale uv.lock; settings that contradict each other.
// Run on the host with fake pip and uv (test/helpers/tool-sandbox.ts).
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import { bin, removeScratch, run, write } from "./helpers/s2i-sandbox.js";
import { toolSandbox, uvWheel } from "./helpers/tool-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);

/** How a build without a download cache to take from gets uv: pip downloads its wheel into the cache (uv is taken out of it); `own` is what the fake reports of the variables. */
const installUv = (own = "") => [`pip download --no-cache-dir --no-deps --only-binary :all: --dest <home>/.cache/uv-wheel uv>=0.8 |${own}`];
const INSTALL_UV = installUv();
const UV_SYNC = "uv sync --locked --no-dev --no-editable --inexact --python <app-root>/bin/python";
const FROM_LOCK = " UV_PROJECT_ENVIRONMENT=<app-root>";
const ALL_FILES = ["uv.lock", "pylock.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "requirements.txt", "pyproject.toml"];

test("assemble: one order of lock files and tools, printed, each case with the calls it makes", async (t) => {
  const cases: Array<{ name: string; files: string[]; env?: NodeJS.ProcessEnv; printed: string; calls: string[] }> = [
    {
      name: "uv.lock wins over every other file, and holds the project",
      files: ALL_FILES,
      printed: "from uv.lock with uv",
      calls: [...INSTALL_UV, `${UV_SYNC} |${FROM_LOCK}`],
    },
    {
      name: "pylock.toml with a pip older than 26.1: uv; then the project with pip",
      files: ALL_FILES.filter((f) => f !== "uv.lock"),
      printed: "from pylock.toml with uv",
      calls: [...INSTALL_UV, "uv pip install --python <app-root>/bin/python -r pylock.toml |", "pip install . |"],
    },
    {
      name: "pylock.toml with pip 26.0: still uv",
      files: ["pylock.toml"],
      env: { FAKE_PIP_VERSION: "26.0.1" },
      printed: "from pylock.toml with uv",
      calls: [...INSTALL_UV, "uv pip install --python <app-root>/bin/python -r pylock.toml |"],
    },
    ...["26.1", "27.0.2"].map((version) => ({
      name: `pylock.toml with pip ${version}: pip`,
      files: ["pylock.toml", "requirements.txt"],
      env: { FAKE_PIP_VERSION: version },
      printed: "from pylock.toml with pip",
      calls: ["pip install -r pylock.toml |"],
    })),
    {
      name: "ENABLE_UV asks for uv even where pip could read pylock.toml",
      files: ["pylock.toml"],
      env: { FAKE_PIP_VERSION: "26.1", ENABLE_UV: "true" },
      printed: "from pylock.toml with uv",
      calls: [...INSTALL_UV, "uv pip install --python <app-root>/bin/python -r pylock.toml |"],
    },
    {
      name: "Pipfile.lock and poetry.lock are not read without ENABLE_PIPENV/ENABLE_MICROPIPENV: requirements.txt with pip",
      files: ["Pipfile", "Pipfile.lock", "poetry.lock", "requirements.txt", "pyproject.toml"],
      printed: "from requirements.txt with pip",
      calls: ["pip install -r requirements.txt |", "pip install . |"],
    },
    {
      // The red case of the uv.lock branch: without it, pip installs the project unpinned.
      name: "DISABLE_UV: uv.lock is not read, pip installs requirements.txt and the project",
      files: ["uv.lock", "requirements.txt", "pyproject.toml"],
      env: { DISABLE_UV: "1" },
      printed: "from requirements.txt with pip",
      calls: ["pip install -r requirements.txt |", "pip install . |"],
    },
    {
      name: "ENABLE_UV: uv installs requirements.txt and the project",
      files: ["requirements.txt", "setup.py"],
      env: { ENABLE_UV: "yes" },
      printed: "from requirements.txt with uv",
      calls: [...INSTALL_UV, "uv pip install --python <app-root>/bin/python -r requirements.txt |", "uv pip install --python <app-root>/bin/python . |"],
    },
    {
      name: "DISABLE_PYPROJECT_TOML_PROCESSING: uv installs the lock without the project",
      files: ["uv.lock", "pyproject.toml"],
      env: { DISABLE_PYPROJECT_TOML_PROCESSING: "1" },
      printed: "from uv.lock with uv",
      calls: [...INSTALL_UV, `${UV_SYNC} --no-install-project |${FROM_LOCK}`],
    },
  ];
  for (const c of cases) {
    const box = toolSandbox("assemble-order");
    box.files(c.files);
    const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, ...c.env }, cwd: box.home });
    t.is(r.code, 0, `${c.name}: ${r.stderr}`);
    const printed = r.stdout.split("\n").filter((l) => l.startsWith("---> Installing dependencies"));
    t.deepEqual(printed, [`---> Installing dependencies ${c.printed}`], c.name);
    const calls = box
      .calls()
      .split("\n")
      .filter((l) => !l.startsWith("fix-permissions") && l);
    t.deepEqual(calls, c.calls, c.name);
    t.deepEqual(fs.readdirSync(box.tmp), [], `${c.name}: the scratch folder (uv with it) is gone`);
  }
});

test("assemble: a uv.lock build names no index: the lock is synced; with one, it is checked with its own and installed from that one", async (t) => {
  const sync = [...INSTALL_UV, `${UV_SYNC} |${FROM_LOCK}`];
  // `own` is the user's own uv variable, which every tool sees; PIP_INDEX_URL reaches uv's install only.
  const exported = (index: string, own = "") => [
    ...installUv(own),
    // the check and export see no index variable, so the lock is judged against its own index
    "uv export --locked --no-dev --no-editable --format requirements.txt --quiet --output-file <scratch>/uv-lock-requirements.txt |",
    `uv pip install --python <app-root>/bin/python --no-deps -r <scratch>/uv-lock-requirements.txt | UV_DEFAULT_INDEX=${index}`,
  ];
  const cases: Array<[NodeJS.ProcessEnv, string[]]> = [
    [{}, sync],
    [{ PIP_INDEX_URL: "https://mirror.example.test/simple/" }, exported("https://mirror.example.test/simple/")],
    [
      { UV_DEFAULT_INDEX: '"https://uv.example.test/simple/"' },
      exported("https://uv.example.test/simple/", " UV_DEFAULT_INDEX=https://uv.example.test/simple/"),
    ],
    // PIP_CERT is the CA bundle uv trusts too, unless SSL_CERT_FILE names one
    [{ PIP_CERT: "/ca/bundle.pem" }, [...INSTALL_UV, `${UV_SYNC} |${FROM_LOCK} SSL_CERT_FILE=/ca/bundle.pem`]],
    [
      { PIP_CERT: "/ca/bundle.pem", SSL_CERT_FILE: "/ca/own.pem" },
      [...installUv(" SSL_CERT_FILE=/ca/own.pem"), `${UV_SYNC} |${FROM_LOCK} SSL_CERT_FILE=/ca/own.pem`],
    ],
  ];
  for (const [env, calls] of cases) {
    const box = toolSandbox("assemble-uv-index");
    box.files(["uv.lock", "pyproject.toml"]);
    const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, ...env }, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    const got = box
      .calls()
      .split("\n")
      .filter((l) => !l.startsWith("fix-permissions") && l);
    t.deepEqual(got, calls, JSON.stringify(env));
  }
  // UV_INDEX_URL, uv's older name, is used as it is; a UV_DEFAULT_INDEX beside it wins in uv itself.
  const box = toolSandbox("assemble-uv-index-url");
  box.files(["uv.lock", "pyproject.toml"]);
  const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, UV_INDEX_URL: "https://old.example.test/" }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.true(box.calls().includes("--no-deps -r <scratch>/uv-lock-requirements.txt | UV_INDEX_URL=https://old.example.test/\n"), box.calls());
});

test("assemble: uv is taken out of its wheel; the wheel stays in the download cache, or in the scratch folder with DISABLE_DOWNLOAD_CACHE", async (t) => {
  const install = "uv pip install --python <app-root>/bin/python -r requirements.txt |";

  // A first build downloads the wheel into ~/.cache/uv-wheel, where it stays for save-artifacts.
  const first = toolSandbox("assemble-uv-wheel");
  first.files(["requirements.txt"]);
  const r1 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...first.env, ENABLE_UV: "1" }, cwd: first.home });
  t.is(r1.code, 0, r1.stderr);
  t.true(r1.stdout.includes("---> Installing uv for this build ...\n"), r1.stdout);
  t.deepEqual(first.toolCalls(), [...INSTALL_UV, install]);
  t.deepEqual(fs.readdirSync(path.join(first.home, ".cache/uv-wheel")), ["uv-0.0.0-py3-none-any.whl"]);
  t.deepEqual(fs.readdirSync(first.tmp), [], "uv itself is gone with the scratch folder");

  // DISABLE_DOWNLOAD_CACHE: the wheel goes to the scratch folder and nothing of it stays.
  const off = toolSandbox("assemble-uv-wheel-off");
  off.files(["requirements.txt"]);
  const r2 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...off.env, ENABLE_UV: "1", DISABLE_DOWNLOAD_CACHE: "1" }, cwd: off.home });
  t.is(r2.code, 0, r2.stderr);
  t.deepEqual(off.toolCalls(), [
    "pip download --no-cache-dir --no-deps --only-binary :all: --dest <scratch>/uv-wheel uv>=0.8 | UV_NO_CACHE=1 PIP_NO_CACHE_DIR=off",
    `${install} UV_NO_CACHE=1 PIP_NO_CACHE_DIR=off`,
  ]);
  t.deepEqual(fs.readdirSync(off.home), ["requirements.txt"]);
  t.deepEqual(fs.readdirSync(off.tmp), []);

  // A kept wheel whose uv does not run here (another platform's) is passed over: the wheel is downloaded again.
  const foreign = toolSandbox("assemble-uv-wheel-foreign");
  foreign.files(["requirements.txt"]);
  write(path.join(foreign.dir, "not-uv"), "#!/bin/sh\nexit 126\n", 0o755);
  fs.mkdirSync(path.join(foreign.home, ".cache/uv-wheel"), { recursive: true });
  uvWheel(path.join(foreign.home, ".cache/uv-wheel/uv-0.0.0-py3-none-other.whl"), path.join(foreign.dir, "not-uv"));
  const r3 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...foreign.env, ENABLE_UV: "1" }, cwd: foreign.home });
  t.is(r3.code, 0, r3.stderr);
  t.deepEqual(foreign.toolCalls(), [...INSTALL_UV, install]);

  // A downloaded wheel without a uv that runs fails the build, saying so.
  const broken = toolSandbox("assemble-uv-wheel-broken");
  broken.files(["requirements.txt"]);
  write(path.join(broken.dir, "uv-0.0.0-py3-none-any.whl"), "not a zip archive\n");
  const r4 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...broken.env, ENABLE_UV: "1" }, cwd: broken.home });
  t.is(r4.code, 1);
  t.true(r4.stdout.includes(`ERROR: the uv wheel pip downloaded to ${broken.home}/.cache/uv-wheel holds no uv executable that runs here.\n`), r4.stdout);
  t.deepEqual(broken.toolCalls(), [...INSTALL_UV]);
});

test("assemble: a stale uv.lock fails the build with uv's message; nothing is locked again or installed after it", async (t) => {
  const box = toolSandbox("assemble-stale");
  box.files(["uv.lock", "pyproject.toml", "requirements.txt"]);
  const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, FAKE_UV_STALE: "1" }, cwd: box.home });
  t.is(r.code, 1);
  t.true(r.stderr.includes("error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided."), r.stderr);
  t.deepEqual(
    box
      .calls()
      .split("\n")
      .filter((l) => !l.startsWith("fix-permissions") && l),
    [...INSTALL_UV, `${UV_SYNC} |${FROM_LOCK}`],
  );
  t.deepEqual(fs.readdirSync(box.tmp), [], "the scratch folder is removed on failure too");
});

test("assemble: contradicting settings stop the build with exit 3 before anything moves", async (t) => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ ENABLE_UV: "1", ENABLE_PIPENV: "1" }, "ERROR: ENABLE_UV cannot be combined with ENABLE_PIPENV or ENABLE_MICROPIPENV!"],
    [{ ENABLE_UV: "1", ENABLE_MICROPIPENV: "1" }, "ERROR: ENABLE_UV cannot be combined with ENABLE_PIPENV or ENABLE_MICROPIPENV!"],
    [{ ENABLE_UV: "1", DISABLE_UV: '"1"' }, "ERROR: ENABLE_UV and DISABLE_UV cannot be set at the same time!"],
  ];
  for (const [env, message] of cases) {
    const box = toolSandbox("assemble-contradict");
    box.files(["uv.lock", "pyproject.toml"]);
    const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, ...env }, cwd: box.home });
    t.is(r.code, 3, JSON.stringify(env));
    t.is(r.stdout, `${message}\n`);
    t.deepEqual(fs.readdirSync(box.home), []);
    t.is(box.calls(), "");
  }
  // ENABLE_UV with an empty value is not set: the build goes on.
  const box = toolSandbox("assemble-contradict-empty");
  box.files(["requirements.txt"]);
  const r = await run("bash", [bin("s2i/bin/assemble")], { env: { ...box.env, ENABLE_UV: '""', DISABLE_UV: "1" }, cwd: box.home });
  t.is(r.code, 0, r.stderr);

  // pylock.toml with DISABLE_UV needs a pip that reads it: exit 3, naming the pip.
  const old = toolSandbox("assemble-pylock-no-uv");
  old.files(["pylock.toml"]);
  const r2 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...old.env, DISABLE_UV: "1" }, cwd: old.home });
  t.is(r2.code, 3);
  t.true(r2.stdout.endsWith("ERROR: pylock.toml needs pip 26.1 or later, or uv; this is pip 23.0.1 and DISABLE_UV is set.\n"), r2.stdout);
});

test("assemble: ENABLE_PIPENV and ENABLE_MICROPIPENV are chosen before any lock file", async (t) => {
  for (const tool of ["pipenv", "micropipenv"]) {
    const box = toolSandbox(`assemble-explicit-${tool}`);
    // python3.11 -m venv DIR: a tool environment whose pip and tool only log their calls.
    write(
      path.join(box.fakeBin, "python3.11"),
      `#!/bin/sh\nmkdir -p "$3/bin"\ncp "${path.join(box.fakeBin, "pip")}" "$3/bin/pip"\nprintf '#!/bin/sh\\necho "${tool} $*" >> "%s"\\n' "${box.log}" > "$3/bin/${tool}"\nchmod +x "$3/bin/${tool}"\n`,
      0o755,
    );
    box.files(["uv.lock", "pylock.toml", "Pipfile", "Pipfile.lock", "pyproject.toml"]);
    const env = {
      ...box.env,
      PATH: `${path.join(box.home, ".local", "bin")}:${box.env.PATH}`,
      [`ENABLE_${tool.toUpperCase()}`]: "1",
      DISABLE_PYPROJECT_TOML_PROCESSING: "1",
    };
    const r = await run("bash", [bin("s2i/bin/assemble")], { env, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    t.false(box.calls().includes("uv "), box.calls());
    t.true(box.calls().includes(`${tool} install --deploy\n`), box.calls());
    t.regex(
      r.stdout,
      tool === "pipenv"
        ? /^---> Installing dependencies from Pipfile\.lock with pipenv$/m
        : /^---> Installing dependencies with micropipenv \(Pipfile\.lock, poetry\.lock or requirements\.txt, the first it finds\)$/m,
    );
  }
});
