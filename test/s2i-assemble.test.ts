// assemble, run on the host in a sandbox with fake pip, fix-permissions and Django.
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import { assembleCalls, bin, run, write, sandbox, fakeDjango, removeScratch } from "./helpers/s2i-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);
test("assemble: pipenv and micropipenv together exit 3 and move nothing", async (t) => {
  const box = sandbox("assemble-both");
  const src = path.join(box.dir, "src");
  write(path.join(src, "app.py"), "print(1)\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box.env, S2I_SOURCE_DIR: src, ENABLE_PIPENV: "1", ENABLE_MICROPIPENV: "true" },
    cwd: box.home,
  });
  t.is(r.code, 3);
  t.is(r.stdout, "ERROR: Pipenv and micropipenv cannot be enabled at the same time!\n");
  t.deepEqual(fs.readdirSync(src), ["app.py"]);
  t.deepEqual(fs.readdirSync(box.home), []);
  t.is(box.calls(), "");
});

test("assemble: moves sources (dotfiles too) and writes pip.ini for PIP_INDEX_URL", async (t) => {
  const box = sandbox("assemble-pipini");
  const src = path.join(box.dir, "src");
  write(path.join(src, "app.py"), "print(1)\n");
  write(path.join(src, ".s2i", "environment"), "X=1\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box.env, S2I_SOURCE_DIR: src, PIP_INDEX_URL: "https://pypi.example.test/simple/" },
    cwd: box.home,
  });
  t.is(r.stderr, "");
  t.is(r.code, 0);
  t.is(r.stdout, "---> Installing application source ...\n---> Creating pip.ini config file\n");
  t.is(fs.readFileSync(path.join(box.home, "pip.ini"), "utf8"), "[global]\nindex-url = https://pypi.example.test/simple/\n");
  t.deepEqual(fs.readdirSync(box.home).sort(), [".s2i", "app.py", "pip.ini"]);
  t.deepEqual(fs.readdirSync(src), []);
  t.is(box.calls(), assembleCalls(box, []));
});

test("assemble: upgrade with --isolated retry, requirements, setup.py and pyproject.toml", async (t) => {
  const box = sandbox("assemble-deps");
  const src = path.join(box.dir, "src");
  for (const f of ["requirements.txt", "setup.py", "pyproject.toml"]) write(path.join(src, f), "\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box.env, S2I_SOURCE_DIR: src, UPGRADE_PIP_TO_LATEST: "1", FAKE_PIP_FAIL: "" },
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), assembleCalls(box, ["pip install -U pip setuptools wheel", "pip install -r requirements.txt", "pip install .", "pip install ."]));
  t.true(r.stdout.includes("---> Installing dependencies from requirements.txt with pip\n"));

  // A failing upgrade is retried once with --isolated.
  const box2 = sandbox("assemble-retry");
  const r2 = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box2.env, S2I_SOURCE_DIR: path.join(box2.dir, "nothing"), UPGRADE_PIP_TO_LATEST: "1", FAKE_PIP_FAIL: "1" },
    cwd: box2.home,
  });
  t.is(r2.code, 0, r2.stderr);
  t.is(box2.calls(), assembleCalls(box2, ["pip install -U pip setuptools wheel", "pip install --isolated -U pip setuptools wheel"]));
});

test("assemble: DISABLE_SETUP_PY_PROCESSING and DISABLE_PYPROJECT_TOML_PROCESSING skip pip install .", async (t) => {
  const box = sandbox("assemble-disabled");
  const src = path.join(box.dir, "src");
  for (const f of ["setup.cfg", "pyproject.toml"]) write(path.join(src, f), "\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box.env, S2I_SOURCE_DIR: src, DISABLE_SETUP_PY_PROCESSING: "1", DISABLE_PYPROJECT_TOML_PROCESSING: "y" },
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), assembleCalls(box, []));
});

test("assemble: a failing dependency install fails the build", async (t) => {
  const box = sandbox("assemble-fail");
  const src = path.join(box.dir, "src");
  write(path.join(src, "requirements.txt"), "x\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box.env, S2I_SOURCE_DIR: src, FAKE_PIP_FAIL: "1" },
    cwd: box.home,
  });
  t.is(r.code, 1);
  t.is(box.calls(), `fix-permissions ${box.appRoot} -P\npip install -r requirements.txt\n`);
});

test("assemble: Django collectstatic runs after a successful dry run, warns otherwise", async (t) => {
  const box = sandbox("assemble-django");
  const src = path.join(box.dir, "src");
  const manage = fakeDjango(box.dir, box.log);
  write(path.join(src, "manage.py"), manage);
  const env = { ...box.env, S2I_SOURCE_DIR: src, PYTHONPATH: path.join(box.dir, "site") };
  const r = await run("bash", [bin("s2i/bin/assemble")], { env, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), assembleCalls(box, ["manage.py collectstatic --dry-run --noinput", "manage.py collectstatic --noinput"]));

  // DISABLE_COLLECTSTATIC
  fs.writeFileSync(box.log, "");
  const r2 = await run("bash", [bin("s2i/bin/assemble")], { env: { ...env, DISABLE_COLLECTSTATIC: "1" }, cwd: box.home });
  t.is(r2.code, 0, r2.stderr);
  t.false(box.calls().includes("manage.py"));

  // dry run fails: warning, no real run, build still succeeds
  const box2 = sandbox("assemble-django-dry");
  const src2 = path.join(box2.dir, "src");
  write(path.join(src2, "manage.py"), fakeDjango(box2.dir, box2.log, true));
  const r3 = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box2.env, S2I_SOURCE_DIR: src2, PYTHONPATH: path.join(box2.dir, "site") },
    cwd: box2.home,
  });
  t.is(r3.code, 0, r3.stderr);
  t.true(r3.stdout.includes("WARNING: 'manage.py collectstatic --dry-run' failed"));
  t.false(box2.calls().includes("manage.py collectstatic --noinput\n"));

  // no manage.py: two warning lines
  const box3 = sandbox("assemble-django-nomanage");
  fakeDjango(box3.dir, box3.log);
  const r4 = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box3.env, S2I_SOURCE_DIR: path.join(box3.dir, "src"), PYTHONPATH: path.join(box3.dir, "site") },
    cwd: box3.home,
  });
  t.is(r4.code, 0, r4.stderr);
  t.true(r4.stdout.endsWith(`WARNING: Django is installed, but there is no 'manage.py' in ${box3.home}.\nSkipping 'manage.py collectstatic'.\n`));
});

test("assemble: a quoted PIP_INDEX_URL goes into pip.ini and reaches pip without its quotes", async (t) => {
  const box = sandbox("assemble-quoted-index");
  write(path.join(box.fakeBin, "pip"), `#!/bin/sh\necho "pip $* (PIP_INDEX_URL=$PIP_INDEX_URL)" >> "${box.log}"\n`, 0o755);
  const src = path.join(box.dir, "src");
  write(path.join(src, "requirements.txt"), "x\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box.env, S2I_SOURCE_DIR: src, PIP_INDEX_URL: '"https://pypi.example.test/simple/"', UPGRADE_PIP_TO_LATEST: "'1'" },
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(fs.readFileSync(path.join(box.home, "pip.ini"), "utf8"), "[global]\nindex-url = https://pypi.example.test/simple/\n");
  t.is(
    box.calls(),
    assembleCalls(box, [
      "pip install -U pip setuptools wheel (PIP_INDEX_URL=https://pypi.example.test/simple/)",
      "pip install -r requirements.txt (PIP_INDEX_URL=https://pypi.example.test/simple/)",
    ]),
  );
});

test('assemble: quoted ENABLE_PIPENV, PIN_PIPENV_VERSION and DISABLE_* switches; "" is an empty value', async (t) => {
  const box = sandbox("assemble-quoted-pipenv");
  // python3.11 -m venv DIR: a virtual environment whose pip and pipenv only log their calls.
  write(
    path.join(box.fakeBin, "python3.11"),
    `#!/bin/sh
[ "$1 $2" = "-m venv" ] || exit 9
mkdir -p "$3/bin"
cp "${path.join(box.fakeBin, "pip")}" "$3/bin/pip"
printf '#!/bin/sh\\necho "pipenv $*" >> "%s"\\n' "${box.log}" > "$3/bin/pipenv"
chmod +x "$3/bin/pipenv"
`,
    0o755,
  );
  const src = path.join(box.dir, "src");
  for (const f of ["requirements.txt", "setup.py", "pyproject.toml"]) write(path.join(src, f), "\n");
  const r = await run("bash", [bin("s2i/bin/assemble")], {
    env: {
      ...box.env,
      PATH: `${path.join(box.home, ".local", "bin")}:${box.env.PATH}`,
      S2I_SOURCE_DIR: src,
      ENABLE_PIPENV: '"true"',
      ENABLE_MICROPIPENV: '""', // empty: not enabled, so no "cannot be enabled at the same time"
      PIN_PIPENV_VERSION: "'2025.0.4'",
      DISABLE_SETUP_PY_PROCESSING: '"1"',
      DISABLE_PYPROJECT_TOML_PROCESSING: "''", // empty: pyproject.toml is processed
    },
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), assembleCalls(box, ["pip install -U pipenv==2025.0.4", "pipenv install -r requirements.txt", "pip install ."]));
});

test("assemble: a quoted APP_HOME is where collectstatic runs; a quoted DISABLE_COLLECTSTATIC skips it", async (t) => {
  const box = sandbox("assemble-quoted-apphome");
  const src = path.join(box.dir, "src");
  write(path.join(src, "project", "manage.py"), fakeDjango(box.dir, box.log));
  const env = { ...box.env, S2I_SOURCE_DIR: src, PYTHONPATH: path.join(box.dir, "site"), APP_HOME: "'project'" };
  const r = await run("bash", [bin("s2i/bin/assemble")], { env, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), assembleCalls(box, ["manage.py collectstatic --dry-run --noinput", "manage.py collectstatic --noinput"]));

  const box2 = sandbox("assemble-quoted-nostatic");
  const src2 = path.join(box2.dir, "src");
  write(path.join(src2, "manage.py"), fakeDjango(box2.dir, box2.log));
  const r2 = await run("bash", [bin("s2i/bin/assemble")], {
    env: { ...box2.env, S2I_SOURCE_DIR: src2, PYTHONPATH: path.join(box2.dir, "site"), DISABLE_COLLECTSTATIC: '"1"' },
    cwd: box2.home,
  });
  t.is(r2.code, 0, r2.stderr);
  t.is(box2.calls(), assembleCalls(box2, []));
});
