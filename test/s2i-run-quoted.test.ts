// ---------------------------------------------------------------------------------------------
// Quoted values. The real s2i keeps the quotes of a .s2i/environment value: APP_MODULE="m:app"
// arrives in the container as the nine characters "m:app" with its quote characters. assemble
// and run drop one pair of matching surrounding quotes from the variables they read, and export
// the result so that gunicorn, pip and the application see it too.
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import {
  run,
  write,
  sandbox,
  fakeGunicorn,
  fakeCgroupLimits,
  fakeDjango,
  fakeGunicornEnv,
  importingGunicorn,
  chmodTree,
  full,
  runScript,
  removeScratch,
} from "./helpers/s2i-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);
test("run: a quoted APP_MODULE naming an installed src-layout package reaches gunicorn unquoted", async (t) => {
  // Upstream's poetry src-layout example: APP_MODULE="poetry_src_layout:application". The package
  // is importable only from site-packages (where `pip install .` put it), not from the source tree.
  for (const value of ['"poetry_src_layout:application"', "poetry_src_layout:application"]) {
    const box = sandbox("run-quoted-src-layout");
    importingGunicorn(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
    const site = path.join(box.dir, "site-packages");
    write(
      path.join(site, "poetry_src_layout", "__init__.py"),
      'def application(environ, start_response):\n    return [b"hello from the installed package\\n"]\n',
    );
    write(path.join(box.home, "src", "poetry_src_layout", "__init__.py"), 'raise SystemExit("src/ must not be imported")\n');
    write(path.join(box.home, "pyproject.toml"), '[tool.poetry]\nname = "poetry-src-layout"\n');
    chmodTree(site, 0o755);
    const r = await run("bash", [runScript()], { env: { ...box.env, PYTHONPATH: site, APP_MODULE: value }, cwd: box.home });
    t.is(r.stderr, "", value);
    t.is(r.code, 0, value);
    t.is(
      r.stdout,
      "---> Serving application with gunicorn (poetry_src_layout:application) with default settings ...\n" +
        "bind=['0.0.0.0:8080'] workers=None\n" +
        "hello from the installed package\n",
      value,
    );
  }
});

test("run: quoted GUNICORN_CMD_ARGS reaches gunicorn unquoted, in its arguments and its environment", async (t) => {
  const box = sandbox("run-quoted-cmd-args");
  importingGunicorn(box.fakeBin);
  fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
  write(path.join(box.home, "web", "quoted_env", "__init__.py"), "");
  write(path.join(box.home, "web", "quoted_env", "wsgi.py"), 'def application(environ, start_response):\n    return [b"ok\\n"]\n');
  const r = await run("bash", [runScript()], {
    env: {
      ...box.env,
      APP_MODULE: '"quoted_env.wsgi:application"',
      APP_HOME: "'web'",
      GUNICORN_CMD_ARGS: '"--bind=0.0.0.0:8080 --workers=2 --access-logfile=-"',
    },
    cwd: box.home,
  });
  t.is(r.stderr, "");
  t.is(r.code, 0);
  t.is(r.stdout, "---> Serving application with gunicorn (quoted_env.wsgi:application) with custom settings ...\n" + "bind=['0.0.0.0:8080'] workers=2\nok\n");
});

test("run: quoted APP_CONFIG, PORT and WEB_CONCURRENCY are used and exported without their quotes", async (t) => {
  const cases: Array<{ env: NodeJS.ProcessEnv; args: string; settings: string; seen: string }> = [
    {
      env: { APP_MODULE: "'m'", APP_CONFIG: '"./gunicorn.conf.py"' },
      args: "[m] [--config] [./gunicorn.conf.py]",
      settings: "custom",
      seen: "APP_MODULE=m\nAPP_CONFIG=./gunicorn.conf.py\nGUNICORN_CMD_ARGS=unset\nPORT=unset\nWEB_CONCURRENCY=1\n",
    },
    {
      env: { APP_MODULE: '"m"', PORT: "'8085'", WEB_CONCURRENCY: '"3"' },
      args: "[m] [--bind=0.0.0.0:8085] [--access-logfile=-] [--config] []",
      settings: "default",
      seen: "APP_MODULE=m\nAPP_CONFIG=unset\nGUNICORN_CMD_ARGS=unset\nPORT=8085\nWEB_CONCURRENCY=3\n",
    },
    {
      env: { APP_MODULE: "m", GUNICORN_CMD_ARGS: "'--bind=0.0.0.0:9000 --workers=3'" },
      args: "[m] [--bind=0.0.0.0:9000] [--workers=3] [--config] []",
      settings: "custom",
      seen: "APP_MODULE=m\nAPP_CONFIG=unset\nGUNICORN_CMD_ARGS=--bind=0.0.0.0:9000 --workers=3\nPORT=unset\nWEB_CONCURRENCY=1\n",
    },
  ];
  for (const [i, c] of cases.entries()) {
    const box = sandbox(`run-quoted-settings-${i}`);
    fakeGunicornEnv(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
    const r = await run("bash", [runScript()], { env: { ...box.env, ...c.env }, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    t.is(r.stdout, `---> Serving application with gunicorn (m) with ${c.settings} settings ...\ngunicorn ${c.args}\n${c.seen}PWD=${box.home}\n`, `case ${i}`);
  }
});

test("run: quoted APP_SCRIPT and APP_FILE are run, and the application sees them unquoted", async (t) => {
  const box = sandbox("run-quoted-script");
  write(path.join(box.home, "start.sh"), '#!/bin/sh\necho "start.sh: APP_SCRIPT=$APP_SCRIPT"\n', 0o755);
  // run calls it as ./start.sh and the script sees that path (no quotes).
  const r = await run("bash", [runScript()], { env: { ...box.env, APP_SCRIPT: '"start.sh"' }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, "---> Running application from script (start.sh) ...\nstart.sh: APP_SCRIPT=./start.sh\n");

  const box2 = sandbox("run-quoted-file");
  write(path.join(box2.home, "main.py"), 'import os, sys\nprint("main.py:", sys.argv[0], os.environ["APP_FILE"])\n');
  const r2 = await run("bash", [runScript()], { env: { ...box2.env, APP_FILE: "'main.py'" }, cwd: box2.home });
  t.is(r2.code, 0, r2.stderr);
  t.is(r2.stdout, "---> Running application from Python script (main.py) ...\nmain.py: main.py main.py\n");
});

test("run: a quoted APP_HOME is entered (spaces inside the quotes stay)", async (t) => {
  for (const [value, dir] of [
    ['"project"', "project"],
    ["'my project'", "my project"],
  ]) {
    const box = sandbox("run-quoted-apphome");
    fakeGunicorn(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
    write(path.join(box.home, dir, "wsgi.py"), "");
    const r = await run("bash", [runScript()], { env: { ...box.env, APP_HOME: value }, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    t.is(
      r.stdout,
      "---> Serving application with gunicorn (wsgi) with default settings ...\n" +
        "gunicorn [wsgi] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []\n" +
        `WEB_CONCURRENCY=1\nPWD=${path.join(box.home, dir)}\n`,
      value,
    );
  }
});

test('run: quoted DISABLE_MIGRATE and ENABLE_INIT_WRAPPER; "" is an empty value', async (t) => {
  const box = sandbox("run-quoted-switches");
  write(path.join(box.home, "manage.py"), fakeDjango(box.dir, box.log));
  const env = { ...box.env, PYTHONPATH: path.join(box.dir, "site") };
  const r = await run("bash", [runScript()], { env: { ...env, DISABLE_MIGRATE: '"1"' }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), "manage.py runserver 0.0.0.0:8080\n");

  fs.writeFileSync(box.log, "");
  const r2 = await run("bash", [runScript()], { env: { ...env, DISABLE_MIGRATE: '""' }, cwd: box.home });
  t.is(r2.code, 0, r2.stderr);
  t.is(box.calls(), "manage.py migrate --noinput\nmanage.py runserver 0.0.0.0:8080\n");

  const box2 = sandbox("run-quoted-initwrapper");
  write(path.join(box2.home, "app.sh"), '#!/bin/sh\necho "[$ENABLE_INIT_WRAPPER]"; tr "\\0" " " < /proc/$PPID/cmdline; echo\n', 0o755);
  const wrapped = await run("bash", [runScript()], { env: { ...box2.env, ENABLE_INIT_WRAPPER: '"true"' }, cwd: box2.home });
  t.is(wrapped.code, 0, wrapped.stderr);
  t.is(wrapped.stdout, `---> Running application from script (app.sh) ...\n[true]\n/bin/sh ${path.join(full, "s2i/bin/init-wrapper")} ./app.sh \n`);
  const plain = await run("bash", [runScript()], { env: { ...box2.env, ENABLE_INIT_WRAPPER: "''" }, cwd: box2.home });
  t.is(plain.code, 0, plain.stderr);
  t.true(plain.stdout.startsWith("---> Running application from script (app.sh) ...\n[]\n"), plain.stdout);
  t.false(plain.stdout.includes("init-wrapper"), plain.stdout);
});

test("run: only one pair of matching surrounding quotes is dropped; anything else is left alone", async (t) => {
  const cases: Array<[string, string]> = [
    ["pkg.module:application", "pkg.module:application"],
    ['"pkg.module:application"', "pkg.module:application"],
    ["'pkg.module:application'", "pkg.module:application"],
    ["\"'x'\"", "'x'"], // one pair only
    ["'\"x\"'", '"x"'],
    ['"it\'s"', "it's"], // a quote of the other kind inside stays
    ["'say \"hi\"'", 'say "hi"'],
    ['"a"b"', '"a"b"'], // a third quote of the same kind: not one quoted string
    ['""x""', '""x""'],
    ['"', '"'],
    ["'", "'"],
    ["\"x'", "\"x'"], // mismatched
    ["'x\"", "'x\""],
    ['"x', '"x'],
    ['x"', 'x"'],
    ['a"b"c', 'a"b"c'], // not surrounding
    [' "x" ', ' "x" '], // not surrounding either: the spaces are part of the value
  ];
  for (const [value, expected] of cases) {
    const box = sandbox("run-quote-rules");
    fakeGunicornEnv(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
    const r = await run("bash", [runScript()], { env: { ...box.env, APP_MODULE: value }, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    const lines = r.stdout.split("\n");
    t.is(lines[1], `gunicorn [${expected}] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []`, value);
    t.is(lines[2], `APP_MODULE=${expected}`, value);
  }
});
