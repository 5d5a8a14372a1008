// run, on the host in a sandbox with fake gunicorn, cgroup-limits and Django.
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import { full, run, write, sandbox, fakeGunicorn, fakeCgroupLimits, fakeDjango, runScript, removeScratch } from "./helpers/s2i-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);
test("run: APP_SCRIPT (app.sh) wins over APP_FILE (app.py)", async (t) => {
  const box = sandbox("run-script");
  write(path.join(box.home, "app.sh"), '#!/bin/sh\necho "from app.sh in $(pwd)"\n', 0o755);
  write(path.join(box.home, "app.py"), 'print("from app.py")\n');
  const r = await run("bash", [runScript()], { env: box.env, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `---> Running application from script (app.sh) ...\nfrom app.sh in ${box.home}\n`);
});

test("run: default APP_FILE app.py is run with python when there is no app.sh", async (t) => {
  const box = sandbox("run-file");
  write(path.join(box.home, "app.py"), 'import sys\nprint("from app.py", sys.argv[0])\nsys.exit(4)\n');
  const r = await run("bash", [runScript()], { env: box.env, cwd: box.home });
  t.is(r.code, 4);
  t.is(r.stdout, "---> Running application from Python script (app.py) ...\nfrom app.py app.py\n");
});

test("run: a user-set APP_FILE or APP_SCRIPT that is missing is an error (exit 1)", async (t) => {
  const box = sandbox("run-missing");
  write(path.join(box.home, "app.py"), 'print("must not run")\n');
  const r = await run("bash", [runScript()], { env: { ...box.env, APP_FILE: "missing.py" }, cwd: box.home });
  t.is(r.code, 1);
  t.is(r.stdout, "");
  t.is(r.stderr, "ERROR: file 'missing.py' not found.\n");

  const r2 = await run("bash", [runScript()], { env: { ...box.env, APP_SCRIPT: "start.sh" }, cwd: box.home });
  t.is(r2.code, 1);
  t.is(r2.stderr, "ERROR: file 'start.sh' not found.\n");
});

test('run: nothing runnable -> "don\'t know how to run" and exit 1', async (t) => {
  const box = sandbox("run-nothing");
  const r = await run("bash", [runScript()], { env: box.env, cwd: box.home });
  t.is(r.code, 1);
  t.is(r.stdout, "");
  t.is(
    r.stderr,
    "ERROR: don't know how to run your application.\n" +
      "Please set either APP_MODULE, APP_FILE or APP_SCRIPT environment variables, or create a file 'app.py' to launch your application.\n",
  );
});

test("run: APP_MODULE with gunicorn uses the default settings and a computed WEB_CONCURRENCY", async (t) => {
  const box = sandbox("run-module");
  fakeGunicorn(box.fakeBin);
  // 512 MiB, 2 cores: (512 - 43) / 40 = 11, capped at 2 * 2 = 4
  fakeCgroupLimits(box.fakeBin, ["MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807", "MEMORY_LIMIT_IN_BYTES=536870912", "NUMBER_OF_CORES=2"]);
  // app.py exists but APP_MODULE alone disables the app.sh/app.py defaults
  write(path.join(box.home, "app.py"), 'print("must not run")\n');
  const r = await run("bash", [runScript()], { env: { ...box.env, APP_MODULE: "app:application" }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    "---> Serving application with gunicorn (app:application) with default settings ...\n" +
      "gunicorn [app:application] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []\n" +
      "WEB_CONCURRENCY=4\n" +
      `PWD=${box.home}\n`,
  );
});

test("run: WEB_CONCURRENCY formula, PORT and custom gunicorn settings", async (t) => {
  const cases: Array<{ limits: string[]; env?: NodeJS.ProcessEnv; workers: string; args: string; settings: string }> = [
    // no core count -> 1
    { limits: ["MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807"], workers: "1", args: "", settings: "default" },
    // 256 MiB, 4 cores: (256 - 43) / 40 = 5
    { limits: ["MEMORY_LIMIT_IN_BYTES=268435456", "NUMBER_OF_CORES=4"], workers: "5", args: "", settings: "default" },
    // no memory limit, 8 cores: capped at 12
    {
      limits: ["MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807", "NUMBER_OF_CORES=8", "NO_MEMORY_LIMIT=true"],
      workers: "12",
      args: "",
      settings: "default",
    },
    // 162 MiB, 4 cores: (162 - 43) / 40 = 2 (119 / 40, rounded down)
    { limits: ["MEMORY_LIMIT_IN_BYTES=169869312", "NUMBER_OF_CORES=4"], workers: "2", args: "", settings: "default" },
    // 563 MiB, 8 cores: (563 - 43) / 40 = 13 -> capped at 12
    { limits: ["MEMORY_LIMIT_IN_BYTES=590348288", "NUMBER_OF_CORES=8"], workers: "12", args: "", settings: "default" },
    // 563 MiB, 3 cores: 13 -> capped at 2 * 3 = 6
    { limits: ["MEMORY_LIMIT_IN_BYTES=590348288", "NUMBER_OF_CORES=3"], workers: "6", args: "", settings: "default" },
    // 64 MiB: (64 - 43) / 40 = 0 -> at least 1
    { limits: ["MEMORY_LIMIT_IN_BYTES=67108864", "NUMBER_OF_CORES=4"], workers: "1", args: "", settings: "default" },
    // the user's WEB_CONCURRENCY is kept; PORT changes the bind
    {
      limits: ["MEMORY_LIMIT_IN_BYTES=67108864", "NUMBER_OF_CORES=4"],
      env: { WEB_CONCURRENCY: "7", PORT: "8085" },
      workers: "7",
      args: " [--bind=0.0.0.0:8085]",
      settings: "default",
    },
    // APP_CONFIG -> custom settings, no default arguments
    {
      limits: ["NUMBER_OF_CORES=1"],
      env: { APP_CONFIG: "./gunicorn.conf.py" },
      workers: "1",
      args: " [--config] [./gunicorn.conf.py]",
      settings: "custom",
    },
    // GUNICORN_CMD_ARGS is split into words
    {
      limits: ["NUMBER_OF_CORES=1"],
      env: { GUNICORN_CMD_ARGS: "--bind=0.0.0.0:9000 --workers=3" },
      workers: "1",
      args: " [--bind=0.0.0.0:9000] [--workers=3] [--config] []",
      settings: "custom",
    },
  ];
  for (const [i, c] of cases.entries()) {
    const box = sandbox(`run-concurrency-${i}`);
    fakeGunicorn(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, c.limits);
    const r = await run("bash", [runScript()], { env: { ...box.env, APP_MODULE: "m", ...c.env }, cwd: box.home });
    t.is(r.code, 0, r.stderr);
    const args =
      c.args === ""
        ? ` [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []`
        : c.args.includes("--config")
          ? c.args
          : `${c.args} [--access-logfile=-] [--config] []`;
    t.is(
      r.stdout,
      `---> Serving application with gunicorn (m) with ${c.settings} settings ...\n` + `gunicorn [m]${args}\nWEB_CONCURRENCY=${c.workers}\nPWD=${box.home}\n`,
      `case ${i}`,
    );
  }
});

test("run: gunicorn.conf.py with wsgi_app runs bare gunicorn (>= 20.1 only)", async (t) => {
  const box = sandbox("run-conf");
  fakeGunicorn(box.fakeBin, "21.2.0");
  write(path.join(box.home, "gunicorn.conf.py"), 'bind = "0.0.0.0:8085"\nwsgi_app = "app:application"\n');
  write(path.join(box.home, "wsgi.py"), "");
  const r = await run("bash", [runScript()], { env: box.env, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `---> Using gunicorn.conf.py\n---> Serving application with gunicorn ...\ngunicorn\nWEB_CONCURRENCY=unset\nPWD=${box.home}\n`);

  // gunicorn 20.0 does not read wsgi_app, and a config without wsgi_app does not serve: both fall through to wsgi.py.
  for (const [version, conf] of [
    ["20.0.4", 'wsgi_app = "app:application"\n'],
    ["23.0.0", 'bind = "0.0.0.0:8085"\n'],
  ]) {
    const fall = sandbox("run-conf-fallthrough");
    fakeGunicorn(fall.fakeBin, version);
    fakeCgroupLimits(fall.fakeBin, ["NUMBER_OF_CORES=1"]);
    write(path.join(fall.home, "gunicorn.conf.py"), conf);
    write(path.join(fall.home, "wsgi.py"), "");
    const r2 = await run("bash", [runScript()], { env: fall.env, cwd: fall.home });
    t.is(r2.code, 0, r2.stderr);
    t.true(r2.stdout.startsWith("---> Serving application with gunicorn (wsgi) with default settings ...\n"), `${version}: ${r2.stdout}`);
  }
});

test("run: APP_HOME is entered and its wsgi.py becomes APP_MODULE", async (t) => {
  const box = sandbox("run-apphome");
  fakeGunicorn(box.fakeBin);
  fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
  write(path.join(box.home, "project", "wsgi.py"), "");
  const r = await run("bash", [runScript()], { env: { ...box.env, APP_HOME: "project" }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    "---> Serving application with gunicorn (wsgi) with default settings ...\n" +
      "gunicorn [wsgi] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []\n" +
      `WEB_CONCURRENCY=1\nPWD=${path.join(box.home, "project")}\n`,
  );
});

test("run: APP_MODULE defaults to the setup.py project name", async (t) => {
  const box = sandbox("run-setup");
  fakeGunicorn(box.fakeBin);
  fakeCgroupLimits(box.fakeBin, ["NUMBER_OF_CORES=1"]);
  write(path.join(box.home, "setup.py"), 'import sys\nif "--name" in sys.argv:\n    print("testapp")\n');
  const r = await run("bash", [runScript()], { env: box.env, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.true(r.stdout.startsWith("---> Serving application with gunicorn (testapp) with default settings ...\ngunicorn [testapp] "));
});

test("run: Django without gunicorn migrates and falls back to runserver", async (t) => {
  const box = sandbox("run-django");
  write(path.join(box.home, "manage.py"), fakeDjango(box.dir, box.log));
  const env = { ...box.env, PYTHONPATH: path.join(box.dir, "site"), PORT: "8085" };
  const r = await run("bash", [runScript()], { env, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    "---> Migrating database ...\n" +
      "---> Serving application with 'manage.py runserver 0.0.0.0:8085' ...\n" +
      "WARNING: this is NOT a recommended way to run your application in production!\n" +
      "Consider serving it with gunicorn or another production WSGI server.\n",
  );
  t.is(box.calls(), "manage.py migrate --noinput\nmanage.py runserver 0.0.0.0:8085\n");

  fs.writeFileSync(box.log, "");
  const r2 = await run("bash", [runScript()], { env: { ...env, DISABLE_MIGRATE: "1" }, cwd: box.home });
  t.is(r2.code, 0, r2.stderr);
  t.is(box.calls(), "manage.py runserver 0.0.0.0:8085\n");
});

test("run: ENABLE_INIT_WRAPPER runs the application behind init-wrapper", async (t) => {
  const box = sandbox("run-initwrapper");
  write(path.join(box.home, "app.sh"), '#!/bin/sh\ntr "\\0" " " < /proc/$PPID/cmdline; echo\n', 0o755);
  const r = await run("bash", [runScript()], { env: { ...box.env, ENABLE_INIT_WRAPPER: "true" }, cwd: box.home });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `---> Running application from script (app.sh) ...\n/bin/sh ${path.join(full, "s2i/bin/init-wrapper")} ./app.sh \n`);
});
