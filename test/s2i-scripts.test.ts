// Tests of the s2i scripts and root helper scripts (templates/s2i/bin, templates/root).
// Each template is rendered by the project's renderer for a full and a minimal version key,
// then checked for syntax (bash -n / sh -n, shellcheck, py_compile) and run on the
// host with fake tools on PATH where a real one is not needed.
import test from 'ava';
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Target} from '../ci/src/matrix/types.js';
import {CACHE_TAKEN, judgeArtifactMembers, judgeRebuildLog} from '../ci/src/verify/incremental.js';
import {project} from './helpers/project.js';


/** Paths in a target's tree (after the version key) this file covers. */
const scripts = [
  's2i/bin/assemble',
  's2i/bin/run',
  's2i/bin/save-artifacts',
  's2i/bin/usage',
  's2i/bin/init-wrapper',
  'root/opt/app-root/etc/generate_container_user',
  'root/usr/bin/fix-permissions',
  'root/usr/bin/cgroup-limits',
  'root/usr/bin/rpm-file-permissions',
  'root/usr/bin/deb-file-permissions',
  'root/usr/bin/container-entrypoint',
];

// Before any test is declared: ava wants every declaration in one tick.
const {spec, renderer} = await project();

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 's2i-scripts-'));
fs.chmodSync(scratch, 0o755);
test.after.always('remove the scratch directory', () => {
  fs.rmSync(scratch, {recursive: true, force: true});
});


/**
 * The scripts as the project's own renderer writes them for a version key (3.11, 3.11-minimal):
 * from the key's first target; a helper that target does not get (rpm-file-permissions, which
 * only the minimal RPM images have) from the first other target that has it, same image kind first.
 */
function render(key: string, into: string): string {
  const minimal = key.endsWith('-minimal');
  const own = spec.targets.filter((t) => t.version.key === key);
  const sameKind = spec.targets.filter((t) => t.version.minimal === minimal && t.version.key !== key);
  const others = [...sameKind, ...spec.targets.filter((t) => t.version.minimal !== minimal)];
  const out = path.join(scratch, into);
  for (const rel of scripts) {
    let file: {content: string} | undefined;
    for (const t of [...own, ...others] as Target[]) {
      file = renderer.renderTarget(t).find((f) => f.path === `${t.version.key}/${rel}`);
      if (file) break;
    }
    if (!file) throw new Error(`no target renders ${rel}`);
    const target = path.join(out, rel);
    fs.mkdirSync(path.dirname(target), {recursive: true});
    fs.writeFileSync(target, file.content, {mode: 0o755});
  }
  chmodTree(out, 0o755);
  return out;
}

function chmodTree(dir: string, mode: number): void {
  fs.chmodSync(dir, mode);
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) chmodTree(path.join(dir, entry.name), mode);
  }
}

const full = render('3.11', 'full');
const minimal = render('3.11-minimal', 'minimal');
const bin = (name: string) => path.join(full, name);

const hostPython = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => fs.existsSync(p)) ?? 'python3';
/** Why the tests that run a script as another uid cannot run here (they fail, saying it), or undefined. */
const uidSwitchProblem =
  spawnSync('setpriv', ['--version']).error !== undefined
    ? 'setpriv (util-linux) is not installed, so this test cannot run a script as another uid'
    : process.getuid?.() !== 0
      ? 'this test runs a script as another uid (setpriv) and chowns files to it: run the tests as root'
      : undefined;
const hostNproc = Number(spawnSync('nproc').stdout.toString().trim());

type Result = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

function run(
  command: string,
  args: string[],
  options: {env?: NodeJS.ProcessEnv; cwd?: string} = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? {PATH: '/usr/bin:/bin'},
      // The scratch folder by default: any uid can enter it, while the checkout may be private
      // (a clone under `mktemp -d` is 0700, and find then fails to return to its start folder).
      cwd: options.cwd ?? scratch,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
  });
}

function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text, {mode});
  fs.chmodSync(file, mode);
}

/** A scratch environment: fake bin dir first on PATH, a HOME, an APP_ROOT. */
function sandbox(name: string) {
  const dir = fs.mkdtempSync(path.join(scratch, `${name}-`));
  fs.chmodSync(dir, 0o777);
  const fakeBin = path.join(dir, 'bin');
  const home = path.join(dir, 'home');
  const appRoot = path.join(dir, 'app-root');
  const log = path.join(dir, 'calls.log');
  for (const d of [fakeBin, home, path.join(appRoot, 'etc')]) {
    fs.mkdirSync(d, {recursive: true});
    fs.chmodSync(d, 0o777);
  }
  fs.symlinkSync(hostPython, path.join(fakeBin, 'python'));
  // Records its calls instead of changing permissions.
  write(path.join(fakeBin, 'fix-permissions'), `#!/bin/sh\necho "fix-permissions $*" >> "${log}"\n`, 0o755);
  // Records its calls and fails (once per call without --isolated) when FAKE_PIP_FAIL is set.
  write(
    path.join(fakeBin, 'pip'),
    `#!/bin/sh
echo "pip $*" >> "${log}"
if [ -n "$FAKE_PIP_FAIL" ]; then
  case " $* " in *" --isolated "*) exit 0 ;; esac
  exit 1
fi
`,
    0o755,
  );
  const env: NodeJS.ProcessEnv = {
    PATH: `${fakeBin}:/usr/bin:/bin`,
    HOME: home,
    APP_ROOT: appRoot,
    STI_SCRIPTS_PATH: path.join(full, 's2i/bin'),
    LANG: 'C.UTF-8',
  };
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  return {dir, fakeBin, home, appRoot, log, env, calls};
}

/** A fake gunicorn that prints its arguments, cwd-relative details and WEB_CONCURRENCY. */
function fakeGunicorn(fakeBin: string, version = '23.0.0'): void {
  write(
    path.join(fakeBin, 'gunicorn'),
    `#!/bin/sh
if [ "$1" = "--version" ]; then echo "gunicorn (version ${version})"; exit 0; fi
printf 'gunicorn'
for arg in "$@"; do printf ' [%s]' "$arg"; done
printf '\\n'
echo "WEB_CONCURRENCY=\${WEB_CONCURRENCY-unset}"
echo "PWD=$(pwd)"
`,
    0o755,
  );
}

/** A fake cgroup-limits (a Python script, as run invokes it with python). */
function fakeCgroupLimits(fakeBin: string, lines: string[]): void {
  write(path.join(fakeBin, 'cgroup-limits'), `print(${JSON.stringify(lines.join('\n'))})\n`, 0o755);
}

/** A fake importable `django` package and a manage.py that logs its arguments. */
function fakeDjango(dir: string, log: string, dryRunFails = false): string {
  const site = path.join(dir, 'site');
  write(path.join(site, 'django', '__init__.py'), '');
  fs.chmodSync(site, 0o755);
  fs.chmodSync(path.join(site, 'django'), 0o755);
  return `import sys
with open(${JSON.stringify(log)}, "a") as f:
    f.write("manage.py " + " ".join(sys.argv[1:]) + "\\n")
if ${dryRunFails ? 'True' : 'False'} and "--dry-run" in sys.argv:
    sys.exit(1)
`;
}

// ---------------------------------------------------------------------------------------------
// Rendering and static checks

test('the rendered scripts leave no Handlebars syntax and only usage differs between full and minimal', (t) => {
  const differing = scripts.filter(
    (rel) => fs.readFileSync(path.join(full, rel), 'utf8') !== fs.readFileSync(path.join(minimal, rel), 'utf8'),
  );
  t.deepEqual(differing, ['s2i/bin/usage']);
  for (const rel of scripts) {
    const text = fs.readFileSync(path.join(full, rel), 'utf8');
    t.false(text.includes('{{'), rel);
    t.true(text.startsWith('#!') || text.startsWith('# shellcheck shell=bash'), rel);
  }
  t.true(fs.readFileSync(bin('s2i/bin/assemble'), 'utf8').includes('python3.11 -m venv'));
});

function shellOf(text: string): 'bash' | 'sh' | 'python' {
  const first = text.split('\n', 1)[0];
  if (first.includes('python')) return 'python';
  if (first === '#!/bin/sh') return 'sh';
  return 'bash';
}

for (const [variant, dir] of [
  ['full', full],
  ['minimal', minimal],
] as const) {
  for (const rel of scripts) {
    test(`${variant} ${rel}: syntax and lint`, async (t) => {
      const file = path.join(dir, rel);
      const shell = shellOf(fs.readFileSync(file, 'utf8'));
      if (shell === 'python') {
        const compiled = await run(hostPython, ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', file]);
        t.is(compiled.code, 0, compiled.stderr);
        return;
      }
      const syntax = await run(shell === 'sh' ? 'sh' : 'bash', ['-n', file]);
      t.is(syntax.code, 0, syntax.stderr);
      if (spawnSync('shellcheck', ['--version']).error) {
        return t.fail('shellcheck is not installed (local-engine/setup-host.sh installs it), so the lint cannot run');
      }
      const lint = await run('shellcheck', ['--shell', shell, '--severity', 'style', file]);
      t.is(lint.stdout + lint.stderr, '');
      t.is(lint.code, 0);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// assemble

test('assemble: pipenv and micropipenv together exit 3 and move nothing', async (t) => {
  const box = sandbox('assemble-both');
  const src = path.join(box.dir, 'src');
  write(path.join(src, 'app.py'), 'print(1)\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box.env, S2I_SOURCE_DIR: src, ENABLE_PIPENV: '1', ENABLE_MICROPIPENV: 'true'},
    cwd: box.home,
  });
  t.is(r.code, 3);
  t.is(r.stdout, 'ERROR: Pipenv and micropipenv cannot be enabled at the same time!\n');
  t.deepEqual(fs.readdirSync(src), ['app.py']);
  t.deepEqual(fs.readdirSync(box.home), []);
  t.is(box.calls(), '');
});

test('assemble: moves sources (dotfiles too) and writes pip.ini for PIP_INDEX_URL', async (t) => {
  const box = sandbox('assemble-pipini');
  const src = path.join(box.dir, 'src');
  write(path.join(src, 'app.py'), 'print(1)\n');
  write(path.join(src, '.s2i', 'environment'), 'X=1\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box.env, S2I_SOURCE_DIR: src, PIP_INDEX_URL: 'https://pypi.example.test/simple/'},
    cwd: box.home,
  });
  t.is(r.stderr, '');
  t.is(r.code, 0);
  t.is(r.stdout, '---> Installing application source ...\n---> Creating pip.ini config file\n');
  t.is(fs.readFileSync(path.join(box.home, 'pip.ini'), 'utf8'), '[global]\nindex-url = https://pypi.example.test/simple/\n');
  t.deepEqual(fs.readdirSync(box.home).sort(), ['.s2i', 'app.py', 'pip.ini']);
  t.deepEqual(fs.readdirSync(src), []);
  t.is(box.calls(), `fix-permissions ${box.appRoot} -P\nfix-permissions ${box.appRoot} -P\n`);
});

test('assemble: upgrade with --isolated retry, requirements, setup.py and pyproject.toml', async (t) => {
  const box = sandbox('assemble-deps');
  const src = path.join(box.dir, 'src');
  for (const f of ['requirements.txt', 'setup.py', 'pyproject.toml']) write(path.join(src, f), '\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box.env, S2I_SOURCE_DIR: src, UPGRADE_PIP_TO_LATEST: '1', FAKE_PIP_FAIL: ''},
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(
    box.calls(),
    [
      `fix-permissions ${box.appRoot} -P`,
      'pip install -U pip setuptools wheel',
      'pip install -r requirements.txt',
      'pip install .',
      'pip install .',
      `fix-permissions ${box.appRoot} -P`,
      '',
    ].join('\n'),
  );
  t.true(r.stdout.includes('---> Installing dependencies from requirements.txt with pip\n'));

  // A failing upgrade is retried once with --isolated.
  const box2 = sandbox('assemble-retry');
  const r2 = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box2.env, S2I_SOURCE_DIR: path.join(box2.dir, 'nothing'), UPGRADE_PIP_TO_LATEST: '1', FAKE_PIP_FAIL: '1'},
    cwd: box2.home,
  });
  t.is(r2.code, 0, r2.stderr);
  t.is(
    box2.calls(),
    [
      `fix-permissions ${box2.appRoot} -P`,
      'pip install -U pip setuptools wheel',
      'pip install --isolated -U pip setuptools wheel',
      `fix-permissions ${box2.appRoot} -P`,
      '',
    ].join('\n'),
  );
});

test('assemble: DISABLE_SETUP_PY_PROCESSING and DISABLE_PYPROJECT_TOML_PROCESSING skip pip install .', async (t) => {
  const box = sandbox('assemble-disabled');
  const src = path.join(box.dir, 'src');
  for (const f of ['setup.cfg', 'pyproject.toml']) write(path.join(src, f), '\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box.env, S2I_SOURCE_DIR: src, DISABLE_SETUP_PY_PROCESSING: '1', DISABLE_PYPROJECT_TOML_PROCESSING: 'y'},
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), `fix-permissions ${box.appRoot} -P\nfix-permissions ${box.appRoot} -P\n`);
});

test('assemble: a failing dependency install fails the build', async (t) => {
  const box = sandbox('assemble-fail');
  const src = path.join(box.dir, 'src');
  write(path.join(src, 'requirements.txt'), 'x\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box.env, S2I_SOURCE_DIR: src, FAKE_PIP_FAIL: '1'},
    cwd: box.home,
  });
  t.is(r.code, 1);
  t.is(box.calls(), `fix-permissions ${box.appRoot} -P\npip install -r requirements.txt\n`);
});

test('assemble: Django collectstatic runs after a successful dry run, warns otherwise', async (t) => {
  const box = sandbox('assemble-django');
  const src = path.join(box.dir, 'src');
  const manage = fakeDjango(box.dir, box.log);
  write(path.join(src, 'manage.py'), manage);
  const env = {...box.env, S2I_SOURCE_DIR: src, PYTHONPATH: path.join(box.dir, 'site')};
  const r = await run('bash', [bin('s2i/bin/assemble')], {env, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    box.calls(),
    [
      `fix-permissions ${box.appRoot} -P`,
      'manage.py collectstatic --dry-run --noinput',
      'manage.py collectstatic --noinput',
      `fix-permissions ${box.appRoot} -P`,
      '',
    ].join('\n'),
  );

  // DISABLE_COLLECTSTATIC
  fs.writeFileSync(box.log, '');
  const r2 = await run('bash', [bin('s2i/bin/assemble')], {env: {...env, DISABLE_COLLECTSTATIC: '1'}, cwd: box.home});
  t.is(r2.code, 0, r2.stderr);
  t.false(box.calls().includes('manage.py'));

  // dry run fails: warning, no real run, build still succeeds
  const box2 = sandbox('assemble-django-dry');
  const src2 = path.join(box2.dir, 'src');
  write(path.join(src2, 'manage.py'), fakeDjango(box2.dir, box2.log, true));
  const r3 = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box2.env, S2I_SOURCE_DIR: src2, PYTHONPATH: path.join(box2.dir, 'site')},
    cwd: box2.home,
  });
  t.is(r3.code, 0, r3.stderr);
  t.true(r3.stdout.includes("WARNING: 'manage.py collectstatic --dry-run' failed"));
  t.false(box2.calls().includes('manage.py collectstatic --noinput\n'));

  // no manage.py: two warning lines
  const box3 = sandbox('assemble-django-nomanage');
  fakeDjango(box3.dir, box3.log);
  const r4 = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box3.env, S2I_SOURCE_DIR: path.join(box3.dir, 'src'), PYTHONPATH: path.join(box3.dir, 'site')},
    cwd: box3.home,
  });
  t.is(r4.code, 0, r4.stderr);
  t.true(
    r4.stdout.endsWith(
      `WARNING: Django is installed, but there is no 'manage.py' in ${box3.home}.\nSkipping 'manage.py collectstatic'.\n`,
    ),
  );
});

// ---------------------------------------------------------------------------------------------
// run

const runScript = () => bin('s2i/bin/run');

test('run: APP_SCRIPT (app.sh) wins over APP_FILE (app.py)', async (t) => {
  const box = sandbox('run-script');
  write(path.join(box.home, 'app.sh'), '#!/bin/sh\necho "from app.sh in $(pwd)"\n', 0o755);
  write(path.join(box.home, 'app.py'), 'print("from app.py")\n');
  const r = await run('bash', [runScript()], {env: box.env, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `---> Running application from script (app.sh) ...\nfrom app.sh in ${box.home}\n`);
});

test('run: default APP_FILE app.py is run with python when there is no app.sh', async (t) => {
  const box = sandbox('run-file');
  write(path.join(box.home, 'app.py'), 'import sys\nprint("from app.py", sys.argv[0])\nsys.exit(4)\n');
  const r = await run('bash', [runScript()], {env: box.env, cwd: box.home});
  t.is(r.code, 4);
  t.is(r.stdout, '---> Running application from Python script (app.py) ...\nfrom app.py app.py\n');
});

test('run: a user-set APP_FILE or APP_SCRIPT that is missing is an error (exit 1)', async (t) => {
  const box = sandbox('run-missing');
  write(path.join(box.home, 'app.py'), 'print("must not run")\n');
  const r = await run('bash', [runScript()], {env: {...box.env, APP_FILE: 'missing.py'}, cwd: box.home});
  t.is(r.code, 1);
  t.is(r.stdout, '');
  t.is(r.stderr, "ERROR: file 'missing.py' not found.\n");

  const r2 = await run('bash', [runScript()], {env: {...box.env, APP_SCRIPT: 'start.sh'}, cwd: box.home});
  t.is(r2.code, 1);
  t.is(r2.stderr, "ERROR: file 'start.sh' not found.\n");
});

test("run: nothing runnable -> \"don't know how to run\" and exit 1", async (t) => {
  const box = sandbox('run-nothing');
  const r = await run('bash', [runScript()], {env: box.env, cwd: box.home});
  t.is(r.code, 1);
  t.is(r.stdout, '');
  t.is(
    r.stderr,
    "ERROR: don't know how to run your application.\n" +
      "Please set either APP_MODULE, APP_FILE or APP_SCRIPT environment variables, or create a file 'app.py' to launch your application.\n",
  );
});

test('run: APP_MODULE with gunicorn uses the default settings and a computed WEB_CONCURRENCY', async (t) => {
  const box = sandbox('run-module');
  fakeGunicorn(box.fakeBin);
  // 512 MiB, 2 cores: (512 - 43) / 40 = 11, capped at 2 * 2 = 4
  fakeCgroupLimits(box.fakeBin, [
    'MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807',
    'MEMORY_LIMIT_IN_BYTES=536870912',
    'NUMBER_OF_CORES=2',
  ]);
  // app.py exists but APP_MODULE alone disables the app.sh/app.py defaults
  write(path.join(box.home, 'app.py'), 'print("must not run")\n');
  const r = await run('bash', [runScript()], {env: {...box.env, APP_MODULE: 'app:application'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    '---> Serving application with gunicorn (app:application) with default settings ...\n' +
      'gunicorn [app:application] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []\n' +
      'WEB_CONCURRENCY=4\n' +
      `PWD=${box.home}\n`,
  );
});

test('run: WEB_CONCURRENCY formula, PORT and custom gunicorn settings', async (t) => {
  const cases: Array<{limits: string[]; env?: NodeJS.ProcessEnv; workers: string; args: string; settings: string}> = [
    // no core count -> 1
    {limits: ['MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807'], workers: '1', args: '', settings: 'default'},
    // 256 MiB, 4 cores: (256 - 43) / 40 = 5
    {limits: ['MEMORY_LIMIT_IN_BYTES=268435456', 'NUMBER_OF_CORES=4'], workers: '5', args: '', settings: 'default'},
    // no memory limit, 8 cores: capped at 12
    {
      limits: ['MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807', 'NUMBER_OF_CORES=8', 'NO_MEMORY_LIMIT=true'],
      workers: '12',
      args: '',
      settings: 'default',
    },
    // 162 MiB, 4 cores: (162 - 43) / 40 = 2 (119 / 40, rounded down)
    {limits: ['MEMORY_LIMIT_IN_BYTES=169869312', 'NUMBER_OF_CORES=4'], workers: '2', args: '', settings: 'default'},
    // 563 MiB, 8 cores: (563 - 43) / 40 = 13 -> capped at 12
    {limits: ['MEMORY_LIMIT_IN_BYTES=590348288', 'NUMBER_OF_CORES=8'], workers: '12', args: '', settings: 'default'},
    // 563 MiB, 3 cores: 13 -> capped at 2 * 3 = 6
    {limits: ['MEMORY_LIMIT_IN_BYTES=590348288', 'NUMBER_OF_CORES=3'], workers: '6', args: '', settings: 'default'},
    // 64 MiB: (64 - 43) / 40 = 0 -> at least 1
    {limits: ['MEMORY_LIMIT_IN_BYTES=67108864', 'NUMBER_OF_CORES=4'], workers: '1', args: '', settings: 'default'},
    // the user's WEB_CONCURRENCY is kept; PORT changes the bind
    {
      limits: ['MEMORY_LIMIT_IN_BYTES=67108864', 'NUMBER_OF_CORES=4'],
      env: {WEB_CONCURRENCY: '7', PORT: '8085'},
      workers: '7',
      args: ' [--bind=0.0.0.0:8085]',
      settings: 'default',
    },
    // APP_CONFIG -> custom settings, no default arguments
    {
      limits: ['NUMBER_OF_CORES=1'],
      env: {APP_CONFIG: './gunicorn.conf.py'},
      workers: '1',
      args: ' [--config] [./gunicorn.conf.py]',
      settings: 'custom',
    },
    // GUNICORN_CMD_ARGS is split into words
    {
      limits: ['NUMBER_OF_CORES=1'],
      env: {GUNICORN_CMD_ARGS: '--bind=0.0.0.0:9000 --workers=3'},
      workers: '1',
      args: ' [--bind=0.0.0.0:9000] [--workers=3] [--config] []',
      settings: 'custom',
    },
  ];
  for (const [i, c] of cases.entries()) {
    const box = sandbox(`run-concurrency-${i}`);
    fakeGunicorn(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, c.limits);
    const r = await run('bash', [runScript()], {env: {...box.env, APP_MODULE: 'm', ...c.env}, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    const args =
      c.args === ''
        ? ` [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []`
        : c.args.includes('--config')
          ? c.args
          : `${c.args} [--access-logfile=-] [--config] []`;
    t.is(
      r.stdout,
      `---> Serving application with gunicorn (m) with ${c.settings} settings ...\n` +
        `gunicorn [m]${args}\nWEB_CONCURRENCY=${c.workers}\nPWD=${box.home}\n`,
      `case ${i}`,
    );
  }
});

test('run: gunicorn.conf.py with wsgi_app runs bare gunicorn (>= 20.1 only)', async (t) => {
  const box = sandbox('run-conf');
  fakeGunicorn(box.fakeBin, '21.2.0');
  write(path.join(box.home, 'gunicorn.conf.py'), 'bind = "0.0.0.0:8085"\nwsgi_app = "app:application"\n');
  write(path.join(box.home, 'wsgi.py'), '');
  const r = await run('bash', [runScript()], {env: box.env, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    `---> Using gunicorn.conf.py\n---> Serving application with gunicorn ...\ngunicorn\nWEB_CONCURRENCY=unset\nPWD=${box.home}\n`,
  );

  // gunicorn 20.0 does not read wsgi_app: falls through to wsgi.py
  const old = sandbox('run-conf-old');
  fakeGunicorn(old.fakeBin, '20.0.4');
  fakeCgroupLimits(old.fakeBin, ['NUMBER_OF_CORES=1']);
  write(path.join(old.home, 'gunicorn.conf.py'), 'wsgi_app = "app:application"\n');
  write(path.join(old.home, 'wsgi.py'), '');
  const r2 = await run('bash', [runScript()], {env: old.env, cwd: old.home});
  t.is(r2.code, 0, r2.stderr);
  t.true(r2.stdout.startsWith('---> Serving application with gunicorn (wsgi) with default settings ...\n'), r2.stdout);

  // a config without wsgi_app falls through as well
  const plain = sandbox('run-conf-plain');
  fakeGunicorn(plain.fakeBin, '23.0.0');
  fakeCgroupLimits(plain.fakeBin, ['NUMBER_OF_CORES=1']);
  write(path.join(plain.home, 'gunicorn.conf.py'), 'bind = "0.0.0.0:8085"\n');
  write(path.join(plain.home, 'wsgi.py'), '');
  const r3 = await run('bash', [runScript()], {env: plain.env, cwd: plain.home});
  t.is(r3.code, 0, r3.stderr);
  t.true(r3.stdout.startsWith('---> Serving application with gunicorn (wsgi) with default settings ...\n'), r3.stdout);
});

test('run: APP_HOME is entered and its wsgi.py becomes APP_MODULE', async (t) => {
  const box = sandbox('run-apphome');
  fakeGunicorn(box.fakeBin);
  fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
  write(path.join(box.home, 'project', 'wsgi.py'), '');
  const r = await run('bash', [runScript()], {env: {...box.env, APP_HOME: 'project'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    '---> Serving application with gunicorn (wsgi) with default settings ...\n' +
      'gunicorn [wsgi] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []\n' +
      `WEB_CONCURRENCY=1\nPWD=${path.join(box.home, 'project')}\n`,
  );
});

test('run: APP_MODULE defaults to the setup.py project name', async (t) => {
  const box = sandbox('run-setup');
  fakeGunicorn(box.fakeBin);
  fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
  write(path.join(box.home, 'setup.py'), 'import sys\nif "--name" in sys.argv:\n    print("testapp")\n');
  const r = await run('bash', [runScript()], {env: box.env, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.true(r.stdout.startsWith('---> Serving application with gunicorn (testapp) with default settings ...\ngunicorn [testapp] '));
});

test('run: Django without gunicorn migrates and falls back to runserver', async (t) => {
  const box = sandbox('run-django');
  write(path.join(box.home, 'manage.py'), fakeDjango(box.dir, box.log));
  const env = {...box.env, PYTHONPATH: path.join(box.dir, 'site'), PORT: '8085'};
  const r = await run('bash', [runScript()], {env, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    '---> Migrating database ...\n' +
      "---> Serving application with 'manage.py runserver 0.0.0.0:8085' ...\n" +
      'WARNING: this is NOT a recommended way to run your application in production!\n' +
      'Consider serving it with gunicorn or another production WSGI server.\n',
  );
  t.is(box.calls(), 'manage.py migrate --noinput\nmanage.py runserver 0.0.0.0:8085\n');

  fs.writeFileSync(box.log, '');
  const r2 = await run('bash', [runScript()], {env: {...env, DISABLE_MIGRATE: '1'}, cwd: box.home});
  t.is(r2.code, 0, r2.stderr);
  t.is(box.calls(), 'manage.py runserver 0.0.0.0:8085\n');
});

test('run: ENABLE_INIT_WRAPPER runs the application behind init-wrapper', async (t) => {
  const box = sandbox('run-initwrapper');
  write(path.join(box.home, 'app.sh'), '#!/bin/sh\ntr "\\0" " " < /proc/$PPID/cmdline; echo\n', 0o755);
  const r = await run('bash', [runScript()], {env: {...box.env, ENABLE_INIT_WRAPPER: 'true'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    r.stdout,
    `---> Running application from script (app.sh) ...\n/bin/sh ${path.join(full, 's2i/bin/init-wrapper')} ./app.sh \n`,
  );
});

test('run: an arbitrary uid gets a passwd entry before the application starts', async (t) => {
  if (uidSwitchProblem) return t.fail(uidSwitchProblem);
  const box = sandbox('run-uid');
  fs.copyFileSync(bin('root/opt/app-root/etc/generate_container_user'), path.join(box.appRoot, 'etc', 'generate_container_user'));
  write(path.join(box.home, 'app.sh'), '#!/bin/sh\necho "$(id -u) $NSS_WRAPPER_PASSWD"\ntail -n 1 "$NSS_WRAPPER_PASSWD"\n', 0o755);
  const r = await run('setpriv', ['--reuid=12345', '--regid=0', '--clear-groups', 'bash', runScript()], {
    env: box.env,
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  const passwd = path.join(box.appRoot, 'etc', 'passwd');
  t.is(
    r.stdout,
    `---> Running application from script (app.sh) ...\n12345 ${passwd}\n` +
      `default:x:12345:0:Default Application User:${box.home}:/bin/bash\n`,
  );
});

// ---------------------------------------------------------------------------------------------
// Quoted values. The real s2i keeps the quotes of a .s2i/environment value: APP_MODULE="m:app"
// arrives in the container as the nine characters "m:app" with its quote characters. assemble
// and run drop one pair of matching surrounding quotes from the variables they read, and export
// the result so that gunicorn, pip and the application see it too.

/** A fake gunicorn that prints its arguments and the variables it (or the app) would read. */
function fakeGunicornEnv(fakeBin: string): void {
  write(
    path.join(fakeBin, 'gunicorn'),
    `#!/bin/sh
printf 'gunicorn'
for arg in "$@"; do printf ' [%s]' "$arg"; done
printf '\\n'
for name in APP_MODULE APP_CONFIG GUNICORN_CMD_ARGS PORT WEB_CONCURRENCY; do
  eval "printf '%s=%s\\\\n' \\"\\$name\\" \\"\\\${$name-unset}\\""
done
echo "PWD=$(pwd)"
`,
    0o755,
  );
}

/**
 * A fake gunicorn in Python that does what the real one does with the variables under test:
 * reads GUNICORN_CMD_ARGS from its environment (shlex + argparse, as gunicorn's Config does),
 * then imports APP_MODULE ("module:callable") with the working directory first on sys.path
 * and calls the WSGI application once, printing the body.
 */
function importingGunicorn(fakeBin: string): void {
  write(
    path.join(fakeBin, 'gunicorn'),
    `#!${hostPython}
import argparse, importlib, os, shlex, sys
parser = argparse.ArgumentParser(prog="gunicorn")
parser.add_argument("--bind", action="append")
parser.add_argument("--workers", type=int)
parser.add_argument("--access-logfile")
parser.add_argument("--config")
parser.add_argument("app", nargs="?")
env_args = parser.parse_args(shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")))
args = parser.parse_args(sys.argv[1:])
module, _, name = args.app.partition(":")
sys.path.insert(0, os.getcwd())
application = getattr(importlib.import_module(module), name or "application")
body = b"".join(application({}, lambda status, headers: None))
print("bind=%s workers=%s" % (args.bind or env_args.bind, args.workers or env_args.workers))
print(body.decode(), end="")
`,
    0o755,
  );
}

test('run: a quoted APP_MODULE naming an installed src-layout package reaches gunicorn unquoted', async (t) => {
  // Upstream's poetry src-layout example: APP_MODULE="poetry_src_layout:application". The package
  // is importable only from site-packages (where `pip install .` put it), not from the source tree.
  for (const value of ['"poetry_src_layout:application"', 'poetry_src_layout:application']) {
    const box = sandbox('run-quoted-src-layout');
    importingGunicorn(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
    const site = path.join(box.dir, 'site-packages');
    write(
      path.join(site, 'poetry_src_layout', '__init__.py'),
      'def application(environ, start_response):\n    return [b"hello from the installed package\\n"]\n',
    );
    write(path.join(box.home, 'src', 'poetry_src_layout', '__init__.py'), 'raise SystemExit("src/ must not be imported")\n');
    write(path.join(box.home, 'pyproject.toml'), '[tool.poetry]\nname = "poetry-src-layout"\n');
    chmodTree(site, 0o755);
    const r = await run('bash', [runScript()], {env: {...box.env, PYTHONPATH: site, APP_MODULE: value}, cwd: box.home});
    t.is(r.stderr, '', value);
    t.is(r.code, 0, value);
    t.is(
      r.stdout,
      '---> Serving application with gunicorn (poetry_src_layout:application) with default settings ...\n' +
        'bind=[\'0.0.0.0:8080\'] workers=None\n' +
        'hello from the installed package\n',
      value,
    );
  }
});

test('run: quoted GUNICORN_CMD_ARGS reaches gunicorn unquoted, in its arguments and its environment', async (t) => {
  const box = sandbox('run-quoted-cmd-args');
  importingGunicorn(box.fakeBin);
  fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
  write(path.join(box.home, 'web', 'quoted_env', '__init__.py'), '');
  write(path.join(box.home, 'web', 'quoted_env', 'wsgi.py'), 'def application(environ, start_response):\n    return [b"ok\\n"]\n');
  const r = await run('bash', [runScript()], {
    env: {
      ...box.env,
      APP_MODULE: '"quoted_env.wsgi:application"',
      APP_HOME: "'web'",
      GUNICORN_CMD_ARGS: '"--bind=0.0.0.0:8080 --workers=2 --access-logfile=-"',
    },
    cwd: box.home,
  });
  t.is(r.stderr, '');
  t.is(r.code, 0);
  t.is(
    r.stdout,
    '---> Serving application with gunicorn (quoted_env.wsgi:application) with custom settings ...\n' +
      "bind=['0.0.0.0:8080'] workers=2\nok\n",
  );
});

test('run: quoted APP_CONFIG, PORT and WEB_CONCURRENCY are used and exported without their quotes', async (t) => {
  const cases: Array<{env: NodeJS.ProcessEnv; args: string; settings: string; seen: string}> = [
    {
      env: {APP_MODULE: "'m'", APP_CONFIG: '"./gunicorn.conf.py"'},
      args: '[m] [--config] [./gunicorn.conf.py]',
      settings: 'custom',
      seen: 'APP_MODULE=m\nAPP_CONFIG=./gunicorn.conf.py\nGUNICORN_CMD_ARGS=unset\nPORT=unset\nWEB_CONCURRENCY=1\n',
    },
    {
      env: {APP_MODULE: '"m"', PORT: "'8085'", WEB_CONCURRENCY: '"3"'},
      args: '[m] [--bind=0.0.0.0:8085] [--access-logfile=-] [--config] []',
      settings: 'default',
      seen: 'APP_MODULE=m\nAPP_CONFIG=unset\nGUNICORN_CMD_ARGS=unset\nPORT=8085\nWEB_CONCURRENCY=3\n',
    },
    {
      env: {APP_MODULE: 'm', GUNICORN_CMD_ARGS: "'--bind=0.0.0.0:9000 --workers=3'"},
      args: '[m] [--bind=0.0.0.0:9000] [--workers=3] [--config] []',
      settings: 'custom',
      seen: 'APP_MODULE=m\nAPP_CONFIG=unset\nGUNICORN_CMD_ARGS=--bind=0.0.0.0:9000 --workers=3\nPORT=unset\nWEB_CONCURRENCY=1\n',
    },
  ];
  for (const [i, c] of cases.entries()) {
    const box = sandbox(`run-quoted-settings-${i}`);
    fakeGunicornEnv(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
    const r = await run('bash', [runScript()], {env: {...box.env, ...c.env}, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    t.is(
      r.stdout,
      `---> Serving application with gunicorn (m) with ${c.settings} settings ...\ngunicorn ${c.args}\n${c.seen}PWD=${box.home}\n`,
      `case ${i}`,
    );
  }
});

test('run: quoted APP_SCRIPT and APP_FILE are run, and the application sees them unquoted', async (t) => {
  const box = sandbox('run-quoted-script');
  write(path.join(box.home, 'start.sh'), '#!/bin/sh\necho "start.sh: APP_SCRIPT=$APP_SCRIPT"\n', 0o755);
  // run calls it as ./start.sh and the script sees that path (no quotes).
  const r = await run('bash', [runScript()], {env: {...box.env, APP_SCRIPT: '"start.sh"'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '---> Running application from script (start.sh) ...\nstart.sh: APP_SCRIPT=./start.sh\n');

  const box2 = sandbox('run-quoted-file');
  write(path.join(box2.home, 'main.py'), 'import os, sys\nprint("main.py:", sys.argv[0], os.environ["APP_FILE"])\n');
  const r2 = await run('bash', [runScript()], {env: {...box2.env, APP_FILE: "'main.py'"}, cwd: box2.home});
  t.is(r2.code, 0, r2.stderr);
  t.is(r2.stdout, '---> Running application from Python script (main.py) ...\nmain.py: main.py main.py\n');
});

test('run: a quoted APP_HOME is entered (spaces inside the quotes stay)', async (t) => {
  for (const [value, dir] of [
    ['"project"', 'project'],
    ["'my project'", 'my project'],
  ]) {
    const box = sandbox('run-quoted-apphome');
    fakeGunicorn(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
    write(path.join(box.home, dir, 'wsgi.py'), '');
    const r = await run('bash', [runScript()], {env: {...box.env, APP_HOME: value}, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    t.is(
      r.stdout,
      '---> Serving application with gunicorn (wsgi) with default settings ...\n' +
        'gunicorn [wsgi] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []\n' +
        `WEB_CONCURRENCY=1\nPWD=${path.join(box.home, dir)}\n`,
      value,
    );
  }
});

test('run: quoted DISABLE_MIGRATE and ENABLE_INIT_WRAPPER; "" is an empty value', async (t) => {
  const box = sandbox('run-quoted-switches');
  write(path.join(box.home, 'manage.py'), fakeDjango(box.dir, box.log));
  const env = {...box.env, PYTHONPATH: path.join(box.dir, 'site')};
  const r = await run('bash', [runScript()], {env: {...env, DISABLE_MIGRATE: '"1"'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(box.calls(), 'manage.py runserver 0.0.0.0:8080\n');

  fs.writeFileSync(box.log, '');
  const r2 = await run('bash', [runScript()], {env: {...env, DISABLE_MIGRATE: '""'}, cwd: box.home});
  t.is(r2.code, 0, r2.stderr);
  t.is(box.calls(), 'manage.py migrate --noinput\nmanage.py runserver 0.0.0.0:8080\n');

  const box2 = sandbox('run-quoted-initwrapper');
  write(path.join(box2.home, 'app.sh'), '#!/bin/sh\necho "[$ENABLE_INIT_WRAPPER]"; tr "\\0" " " < /proc/$PPID/cmdline; echo\n', 0o755);
  const wrapped = await run('bash', [runScript()], {env: {...box2.env, ENABLE_INIT_WRAPPER: '"true"'}, cwd: box2.home});
  t.is(wrapped.code, 0, wrapped.stderr);
  t.is(
    wrapped.stdout,
    `---> Running application from script (app.sh) ...\n[true]\n/bin/sh ${path.join(full, 's2i/bin/init-wrapper')} ./app.sh \n`,
  );
  const plain = await run('bash', [runScript()], {env: {...box2.env, ENABLE_INIT_WRAPPER: "''"}, cwd: box2.home});
  t.is(plain.code, 0, plain.stderr);
  t.true(plain.stdout.startsWith('---> Running application from script (app.sh) ...\n[]\n'), plain.stdout);
  t.false(plain.stdout.includes('init-wrapper'), plain.stdout);
});

test('run: only one pair of matching surrounding quotes is dropped; anything else is left alone', async (t) => {
  const cases: Array<[string, string]> = [
    ['pkg.module:application', 'pkg.module:application'],
    ['"pkg.module:application"', 'pkg.module:application'],
    ["'pkg.module:application'", 'pkg.module:application'],
    ['"\'x\'"', "'x'"], // one pair only
    ['\'"x"\'', '"x"'],
    ['"it\'s"', "it's"], // a quote of the other kind inside stays
    ['\'say "hi"\'', 'say "hi"'],
    ['"a"b"', '"a"b"'], // a third quote of the same kind: not one quoted string
    ['""x""', '""x""'],
    ['"', '"'],
    ["'", "'"],
    ['"x\'', '"x\''], // mismatched
    ['\'x"', '\'x"'],
    ['"x', '"x'],
    ['x"', 'x"'],
    ['a"b"c', 'a"b"c'], // not surrounding
    [' "x" ', ' "x" '], // not surrounding either: the spaces are part of the value
  ];
  for (const [value, expected] of cases) {
    const box = sandbox('run-quote-rules');
    fakeGunicornEnv(box.fakeBin);
    fakeCgroupLimits(box.fakeBin, ['NUMBER_OF_CORES=1']);
    const r = await run('bash', [runScript()], {env: {...box.env, APP_MODULE: value}, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    t.is(lines[1], `gunicorn [${expected}] [--bind=0.0.0.0:8080] [--access-logfile=-] [--config] []`, value);
    t.is(lines[2], `APP_MODULE=${expected}`, value);
  }
});

test('assemble: a quoted PIP_INDEX_URL goes into pip.ini and reaches pip without its quotes', async (t) => {
  const box = sandbox('assemble-quoted-index');
  write(path.join(box.fakeBin, 'pip'), `#!/bin/sh\necho "pip $* (PIP_INDEX_URL=$PIP_INDEX_URL)" >> "${box.log}"\n`, 0o755);
  const src = path.join(box.dir, 'src');
  write(path.join(src, 'requirements.txt'), 'x\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box.env, S2I_SOURCE_DIR: src, PIP_INDEX_URL: '"https://pypi.example.test/simple/"', UPGRADE_PIP_TO_LATEST: "'1'"},
    cwd: box.home,
  });
  t.is(r.code, 0, r.stderr);
  t.is(fs.readFileSync(path.join(box.home, 'pip.ini'), 'utf8'), '[global]\nindex-url = https://pypi.example.test/simple/\n');
  t.is(
    box.calls(),
    [
      `fix-permissions ${box.appRoot} -P`,
      'pip install -U pip setuptools wheel (PIP_INDEX_URL=https://pypi.example.test/simple/)',
      'pip install -r requirements.txt (PIP_INDEX_URL=https://pypi.example.test/simple/)',
      `fix-permissions ${box.appRoot} -P`,
      '',
    ].join('\n'),
  );
});

test('assemble: quoted ENABLE_PIPENV, PIN_PIPENV_VERSION and DISABLE_* switches; "" is an empty value', async (t) => {
  const box = sandbox('assemble-quoted-pipenv');
  // python3.11 -m venv DIR: a virtual environment whose pip and pipenv only log their calls.
  write(
    path.join(box.fakeBin, 'python3.11'),
    `#!/bin/sh
[ "$1 $2" = "-m venv" ] || exit 9
mkdir -p "$3/bin"
cp "${path.join(box.fakeBin, 'pip')}" "$3/bin/pip"
printf '#!/bin/sh\\necho "pipenv $*" >> "%s"\\n' "${box.log}" > "$3/bin/pipenv"
chmod +x "$3/bin/pipenv"
`,
    0o755,
  );
  const src = path.join(box.dir, 'src');
  for (const f of ['requirements.txt', 'setup.py', 'pyproject.toml']) write(path.join(src, f), '\n');
  const r = await run('bash', [bin('s2i/bin/assemble')], {
    env: {
      ...box.env,
      PATH: `${path.join(box.home, '.local', 'bin')}:${box.env.PATH}`,
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
  t.is(
    box.calls(),
    [
      `fix-permissions ${box.appRoot} -P`,
      'pip install -U pipenv==2025.0.4',
      'pipenv install -r requirements.txt',
      'pip install .',
      `fix-permissions ${box.appRoot} -P`,
      '',
    ].join('\n'),
  );
});

test('assemble: a quoted APP_HOME is where collectstatic runs; a quoted DISABLE_COLLECTSTATIC skips it', async (t) => {
  const box = sandbox('assemble-quoted-apphome');
  const src = path.join(box.dir, 'src');
  write(path.join(src, 'project', 'manage.py'), fakeDjango(box.dir, box.log));
  const env = {...box.env, S2I_SOURCE_DIR: src, PYTHONPATH: path.join(box.dir, 'site'), APP_HOME: "'project'"};
  const r = await run('bash', [bin('s2i/bin/assemble')], {env, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(
    box.calls(),
    [
      `fix-permissions ${box.appRoot} -P`,
      'manage.py collectstatic --dry-run --noinput',
      'manage.py collectstatic --noinput',
      `fix-permissions ${box.appRoot} -P`,
      '',
    ].join('\n'),
  );

  const box2 = sandbox('assemble-quoted-nostatic');
  const src2 = path.join(box2.dir, 'src');
  write(path.join(src2, 'manage.py'), fakeDjango(box2.dir, box2.log));
  const r2 = await run('bash', [bin('s2i/bin/assemble')], {
    env: {...box2.env, S2I_SOURCE_DIR: src2, PYTHONPATH: path.join(box2.dir, 'site'), DISABLE_COLLECTSTATIC: '"1"'},
    cwd: box2.home,
  });
  t.is(r2.code, 0, r2.stderr);
  t.is(box2.calls(), `fix-permissions ${box2.appRoot} -P\nfix-permissions ${box2.appRoot} -P\n`);
});

test('assemble, run and save-artifacts define the same unquote_env', (t) => {
  const definition = (rel: string) => {
    const text = fs.readFileSync(bin(rel), 'utf8');
    const match = /^unquote_env\(\) \{\n[\s\S]*?\n\}\n/m.exec(text);
    t.truthy(match, rel);
    return match?.[0];
  };
  t.is(definition('s2i/bin/assemble'), definition('s2i/bin/run'));
  t.is(definition('s2i/bin/save-artifacts'), definition('s2i/bin/run'));
});

// ---------------------------------------------------------------------------------------------
// init-wrapper, container-entrypoint, usage

const trapChild = 'trap "echo child got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done';

for (const shell of ['sh', 'bash']) {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`init-wrapper (${shell}): ${signal} is forwarded as TERM and the child's status returned`, async (t) => {
      const child = spawn(shell, [bin('s2i/bin/init-wrapper'), 'sh', '-c', trapChild], {
        env: {PATH: '/usr/bin:/bin'},
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      const ready = new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          stdout += d;
          if (stdout.includes('ready\n')) resolve();
        });
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await ready;
      child.kill(signal);
      const code = await closed;
      t.is(code, 7);
      t.is(stdout, 'ready\nchild got TERM\n');
    });
  }

  test(`init-wrapper (${shell}): returns the exit status of a command that ends by itself`, async (t) => {
    const r = await run(shell, [bin('s2i/bin/init-wrapper'), 'sh', '-c', 'echo "$0 $1"; exit 5', 'x', 'y z']);
    t.is(r.code, 5);
    t.is(r.stdout, 'x y z\n');
  });
}

test('container-entrypoint execs its arguments', async (t) => {
  const r = await run(bin('root/usr/bin/container-entrypoint'), ['sh', '-c', 'echo "$0|$1|$$"; exit 9', 'a', 'b c']);
  t.is(r.code, 9);
  t.regex(r.stdout, /^a\|b c\|\d+\n$/);
});

test('usage names the image, uses the os-release ID and exits 0', async (t) => {
  const osRelease = fs.readFileSync(fs.existsSync('/etc/os-release') ? '/etc/os-release' : '/usr/lib/os-release', 'utf8');
  const id = /^ID=(.*)$/m.exec(osRelease)![1].replace(/["']/g, '');
  const fullUsage = await run(bin('s2i/bin/usage'), []);
  t.is(fullUsage.code, 0);
  t.is(
    fullUsage.stdout.split('\n', 1)[0],
    `This is the Python 3.11 source-to-image (s2i) builder image python-3.11 (based on ${id}).`,
  );
  t.true(fullUsage.stdout.includes('--context-dir=3.11/test/setup-test-app/ python-3.11 python-sample-app\n'));
  const minimalUsage = await run(path.join(minimal, 's2i/bin/usage'), []);
  t.is(minimalUsage.code, 0);
  t.is(
    minimalUsage.stdout.split('\n', 1)[0],
    `This is the Python 3.11 source-to-image (s2i) builder image python-3.11-minimal (based on ${id}), minimal variant.`,
  );
  t.true(minimalUsage.stdout.includes('oc new-app python:3.11-minimal~https://github.com/sclorg/s2i-python-container.git'));
});

// ---------------------------------------------------------------------------------------------
// root helpers

function mode(p: string): string {
  return (fs.lstatSync(p).mode & 0o7777).toString(8).padStart(4, '0');
}

test('fix-permissions: chgrp 0, g+rw, g+x on executables and directories; symlinks untouched', async (t) => {
  const box = sandbox('fixperm');
  const tree = path.join(box.dir, 'tree');
  const outside = path.join(box.dir, 'outside');
  write(path.join(tree, 'sub', 'file'), 'x', 0o600);
  write(path.join(tree, 'exe'), 'x', 0o700);
  write(outside, 'x', 0o600);
  fs.chmodSync(path.join(tree, 'sub'), 0o700);
  fs.chmodSync(tree, 0o700);
  fs.symlinkSync(outside, path.join(tree, 'link'));
  fs.lchownSync(path.join(tree, 'link'), 0, 1234); // chgrp on the link would change `outside`
  // a directory without u+x still gets g+x
  fs.mkdirSync(path.join(tree, 'odd'));
  fs.chmodSync(path.join(tree, 'odd'), 0o640);
  for (const p of [tree, path.join(tree, 'sub'), path.join(tree, 'sub', 'file'), path.join(tree, 'exe'), outside]) {
    fs.chownSync(p, 0, 1234);
  }
  const r = await run('sh', [bin('root/usr/bin/fix-permissions'), tree, '-P']);
  t.is(r.code, 0);
  t.is(r.stdout + r.stderr, '');
  t.deepEqual(
    [tree, path.join(tree, 'sub'), path.join(tree, 'sub', 'file'), path.join(tree, 'exe'), path.join(tree, 'odd')].map(
      (p) => `${mode(p)}:${fs.statSync(p).gid}`,
    ),
    ['0770:0', '0770:0', '0660:0', '0770:0', '0670:0'],
  );
  t.is(`${mode(outside)}:${fs.statSync(outside).gid}`, '0600:1234');
});

test('fix-permissions: a missing path prints the error line and still exits 0', async (t) => {
  const missing = path.join(scratch, 'does-not-exist');
  const r = await run('sh', [bin('root/usr/bin/fix-permissions'), missing]);
  t.is(r.code, 0);
  t.is(r.stdout, '');
  t.is(r.stderr, `ERROR: File or directory ${missing} does not exist.\n`);
});

test('fix-permissions: a non-root user only changes its own files', async (t) => {
  if (uidSwitchProblem) return t.fail(uidSwitchProblem);
  const box = sandbox('fixperm-user');
  const tree = path.join(box.dir, 'tree');
  write(path.join(tree, 'mine'), 'x', 0o600);
  write(path.join(tree, 'theirs'), 'x', 0o600);
  fs.chmodSync(tree, 0o777);
  fs.chownSync(path.join(tree, 'mine'), 12345, 0);
  const r = await run('setpriv', ['--reuid=12345', '--regid=0', '--clear-groups', 'sh', bin('root/usr/bin/fix-permissions'), tree]);
  t.is(r.code, 0);
  t.is(r.stdout + r.stderr, '');
  t.is(mode(path.join(tree, 'mine')), '0660');
  t.is(mode(path.join(tree, 'theirs')), '0600');
});

function cgroupTree(name: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(scratch, `cgroup-${name}-`));
  for (const [rel, text] of Object.entries(files)) write(path.join(root, rel), `${text}\n`);
  return root;
}

async function cgroupLimits(root: string): Promise<Result> {
  return run(hostPython, [bin('root/usr/bin/cgroup-limits')], {env: {PATH: '/usr/bin:/bin', CGROUP_LIMITS_ROOT: root}});
}

test('cgroup-limits: cgroup v2 limits', async (t) => {
  const root = cgroupTree('v2', {
    'cgroup.controllers': 'cpuset cpu memory',
    'memory.max': '536870912',
    'cpu.max': 'max 100000',
    'cpuset.cpus.effective': '0',
  });
  const r = await cgroupLimits(root);
  t.is(r.code, 0);
  t.is(r.stderr, '');
  t.is(r.stdout, 'MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=536870912\nNUMBER_OF_CORES=1\n');

  // "max" memory, a 1.5 CPU quota (rounded up) and four cpus in the set
  const root2 = cgroupTree('v2max', {
    'cgroup.controllers': 'cpuset cpu memory',
    'memory.max': 'max',
    'cpu.max': '150000 100000',
    'cpuset.cpus.effective': '0-1,3,5',
  });
  const r2 = await cgroupLimits(root2);
  t.is(r2.code, 0);
  t.is(
    r2.stdout,
    'MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=9223372036854775807\n' +
      `NUMBER_OF_CORES=${Math.min(2, 4, hostNproc)}\nNO_MEMORY_LIMIT=true\n`,
  );
});

test('cgroup-limits: cgroup v1 limits', async (t) => {
  const root = cgroupTree('v1', {
    'memory/memory.limit_in_bytes': '1073741824',
    'cpu/cpu.cfs_quota_us': '100000',
    'cpu/cpu.cfs_period_us': '100000',
    'cpuset/cpuset.cpus': '0-7',
  });
  const r = await cgroupLimits(root);
  t.is(r.code, 0);
  t.is(r.stderr, '');
  t.is(r.stdout, 'MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=1073741824\nNUMBER_OF_CORES=1\n');

  // unlimited v1 (page-aligned huge value, quota -1): NO_MEMORY_LIMIT, cores from the cpuset
  const root2 = cgroupTree('v1unl', {
    'memory/memory.limit_in_bytes': '9223372036854771712',
    'cpu/cpu.cfs_quota_us': '-1',
    'cpu/cpu.cfs_period_us': '100000',
    'cpuset/cpuset.effective_cpus': '0',
  });
  const r2 = await cgroupLimits(root2);
  t.is(
    r2.stdout,
    'MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=9223372036854771712\nNUMBER_OF_CORES=1\nNO_MEMORY_LIMIT=true\n',
  );
});

test('cgroup-limits: no cgroup files -> no memory key, a warning, cores from the CPU affinity', async (t) => {
  const root = cgroupTree('empty', {});
  const r = await cgroupLimits(root);
  t.is(r.code, 0);
  t.is(r.stdout, `MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nNUMBER_OF_CORES=${hostNproc}\n`);
  t.is(r.stderr, "Warning: can't detect the memory limit from cgroups\n");
});

test('generate_container_user: an arbitrary uid gets a passwd entry and nss_wrapper variables', async (t) => {
  if (uidSwitchProblem) return t.fail(uidSwitchProblem);
  const box = sandbox('gcu');
  const source = path.join(box.dir, 'passwd.in');
  write(source, 'root:x:0:0:root:/root:/bin/bash\ndefault:x:1001:0:Default Application User:/opt/app-root/src:/sbin/nologin\n');
  const script =
    `source ${JSON.stringify(bin('root/opt/app-root/etc/generate_container_user'))}; ` +
    'echo "P=$NSS_WRAPPER_PASSWD G=$NSS_WRAPPER_GROUP L=${LD_PRELOAD-unset} leaked=$(compgen -v _gcu_ | wc -l)"; echo "$-"';
  const r = await run('setpriv', ['--reuid=12345', '--regid=0', '--clear-groups', 'bash', '-c', script], {
    env: {...box.env, CONTAINER_PASSWD_SOURCE: source},
  });
  t.is(r.code, 0);
  const passwd = path.join(box.appRoot, 'etc', 'passwd');
  const hasLib = ['/usr/lib64', '/usr/lib', ...fs.readdirSync('/usr/lib').filter((d) => d.endsWith('-linux-gnu')).map((d) => `/usr/lib/${d}`)].some(
    (d) => fs.existsSync(`${d}/libnss_wrapper.so`),
  );
  const [vars, opts] = r.stdout.split('\n');
  t.is(vars, `P=${passwd} G=/etc/group L=${hasLib ? 'libnss_wrapper.so' : 'unset'} leaked=0`);
  t.notRegex(opts, /[eu]/, 'sourcing must not change the shell options');
  t.is(r.stderr, hasLib ? '' : 'WARNING: libnss_wrapper.so not found; uid 12345 stays without a user name.\n');
  t.is(
    fs.readFileSync(passwd, 'utf8'),
    'root:x:0:0:root:/root:/bin/bash\n' +
      'builder:x:1001:0:Default Application User:/opt/app-root/src:/sbin/nologin\n' +
      `default:x:12345:0:Default Application User:${box.home}:/bin/bash\n`,
  );
});

test('generate_container_user: root (and uid 1001) get no passwd file', async (t) => {
  const box = sandbox('gcu-root');
  const script = `source ${JSON.stringify(bin('root/opt/app-root/etc/generate_container_user'))}; echo "P=\${NSS_WRAPPER_PASSWD-unset}"`;
  const r = await run('bash', ['-c', script], {env: box.env});
  t.is(r.code, 0);
  t.is(r.stdout, 'P=unset\n');
  if (uidSwitchProblem) return t.fail(uidSwitchProblem);
  const r2 = await run('setpriv', ['--reuid=1001', '--regid=0', '--clear-groups', 'bash', '-c', script], {env: box.env});
  t.is(r2.stdout, 'P=unset\n');
  t.false(fs.existsSync(path.join(box.appRoot, 'etc', 'passwd')));
});

test('deb-file-permissions: resets the base directories to 0755 and skips symlinks', async (t) => {
  const root = fs.mkdtempSync(path.join(scratch, 'debroot-'));
  const dirs = ['opt', 'etc', 'usr', 'usr/bin', 'usr/sbin', 'usr/lib', 'usr/share', 'usr/libexec', 'usr/local'];
  for (const d of dirs) fs.mkdirSync(path.join(root, d), {recursive: true});
  for (const d of ['', ...dirs]) fs.chmodSync(path.join(root, d), 0o775);
  fs.symlinkSync('usr/bin', path.join(root, 'bin'));
  const r = await run('sh', [bin('root/usr/bin/deb-file-permissions')], {
    env: {PATH: '/usr/bin:/bin', DEB_FILE_PERMISSIONS_ROOT: root},
  });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout + r.stderr, '');
  t.deepEqual(
    ['', ...dirs].map((d) => `${d || '/'}=${mode(path.join(root, d))}`),
    ['/=0755', 'opt=0755', 'etc=0755', 'usr=0755', 'usr/bin=0755', 'usr/sbin=0755', 'usr/lib=0755', 'usr/share=0755', 'usr/libexec=0755', 'usr/local=0775'],
  );
});

test('rpm-file-permissions: chmods the listed directories to the modes recorded by rpm', async (t) => {
  const box = sandbox('rpmperm');
  // Fake rpm (the filesystem package listing) and a chmod that only records.
  write(
    path.join(box.fakeBin, 'rpm'),
    `#!/bin/sh
printf 'rpm %s\\n' "$*" >> "${box.log}"
printf '%s\\n' 'normal 40555 /' 'normal 40755 /usr' 'normal 40555 /usr/bin' 'not_installed 40755 /usr/lib64' \\
  'normal 40755 /usr/local' 'normal 100644 /etc/hosts' 'normal 41777 /opt'
`,
    0o755,
  );
  write(path.join(box.fakeBin, 'chmod'), `#!/bin/sh\necho "chmod $*" >> "${box.log}"\n`, 0o755);
  const r = await run('sh', [bin('root/usr/bin/rpm-file-permissions')], {env: box.env});
  t.is(r.code, 0, r.stderr);
  t.is(
    box.calls(),
    "rpm -q --queryformat [%{FILESTATES:fstate} %{FILEMODES:octal} %{FILENAMES}\\n] filesystem\n" +
      'chmod 0555 /\nchmod 0755 /usr\nchmod 0555 /usr/bin\nchmod 1777 /opt\n',
  );

  if (!fs.existsSync('/usr/bin/rpm') && !fs.existsSync('/bin/rpm')) {
    const noRpm = await run('sh', [bin('root/usr/bin/rpm-file-permissions')], {env: {PATH: '/usr/bin:/bin'}});
    t.is(noRpm.code, 1);
    t.is(noRpm.stderr, "ERROR: rpm-file-permissions needs 'rpm' (this image is not rpm based).\n");
  }
});

// ---------------------------------------------------------------------------------------------
// assemble: which file installs the dependencies (uv.lock, pylock.toml, ...), with which tool.
// pip and uv are fakes that log their arguments and the variables that steer them; the fake pip
// installs the fake uv when assemble asks it for uv (`pip install --target DIR uv...`).

/** The variables the fakes report, in this order, when they are set. */
const TOOL_VARIABLES = ['UV_PROJECT_ENVIRONMENT', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL', 'SSL_CERT_FILE', 'UV_NO_CACHE', 'PIP_NO_CACHE_DIR'];

function toolSandbox(name: string) {
  const box = sandbox(name);
  const report = `for v in ${TOOL_VARIABLES.join(' ')}; do eval "x=\\\${$v+set}"; [ -n "$x" ] && eval "printf ' %s=%s' \\"\\$v\\" \\"\\\${$v}\\""; done`;
  const fakeUv = path.join(box.dir, 'uv-fake');
  write(
    fakeUv,
    `#!/bin/bash
printf 'uv %s |' "$*" >> "${box.log}"; { ${report}; echo; } >> "${box.log}"
if [[ -n "$FAKE_UV_STALE" && " $* " == *" --locked "* ]]; then
  echo "error: The lockfile at \\\`uv.lock\\\` needs to be updated, but \\\`--locked\\\` was provided." >&2
  exit 1
fi
`,
    0o755,
  );
  write(
    path.join(box.fakeBin, 'pip'),
    `#!/bin/bash
if [[ "$1" == --version ]]; then echo "pip \${FAKE_PIP_VERSION:-23.0.1} from /x (python 3.11)"; exit 0; fi
printf 'pip %s |' "$*" >> "${box.log}"; { ${report}; echo; } >> "${box.log}"
if [[ "$*" == *"--target "*" uv>=0.8" ]]; then
  all="$*"; target=\${all#*--target }; target=\${target%% *}
  mkdir -p "$target/bin" && cp "${fakeUv}" "$target/bin/uv"
fi
`,
    0o755,
  );
  const tmp = path.join(box.dir, 'tmp');
  fs.mkdirSync(tmp, {mode: 0o777});
  const src = path.join(box.dir, 'src');
  const files = (names: string[]) => {
    for (const f of names) write(path.join(src, f), `${f}\n`);
  };
  // The scratch folder's random name, as "<scratch>", and the sandbox's paths by their names.
  const calls = () =>
    box
      .calls()
      .replace(new RegExp(`${tmp}/assemble\\.[A-Za-z0-9]+`, 'g'), '<scratch>')
      .replaceAll(box.appRoot, '<app-root>')
      .replaceAll(box.home, '<home>');
  const env: NodeJS.ProcessEnv = {...box.env, TMPDIR: tmp, S2I_SOURCE_DIR: src};
  return {...box, tmp, src, files, calls, env};
}

const INSTALL_UV = 'pip install --no-cache-dir --target <scratch>/uv uv>=0.8 |';
const UV_SYNC = 'uv sync --locked --no-dev --no-editable --inexact --python <app-root>/bin/python';
const FROM_LOCK = ' UV_PROJECT_ENVIRONMENT=<app-root>';
const ALL_FILES = ['uv.lock', 'pylock.toml', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'requirements.txt', 'pyproject.toml'];

test('assemble: one order of lock files and tools, printed, each case with the calls it makes', async (t) => {
  const cases: Array<{name: string; files: string[]; env?: NodeJS.ProcessEnv; printed: string; calls: string[]}> = [
    {
      name: 'uv.lock wins over every other file, and holds the project',
      files: ALL_FILES,
      printed: 'from uv.lock with uv',
      calls: [INSTALL_UV, `${UV_SYNC} |${FROM_LOCK}`],
    },
    {
      name: 'pylock.toml with a pip older than 26.1: uv; then the project with pip',
      files: ALL_FILES.filter((f) => f !== 'uv.lock'),
      printed: 'from pylock.toml with uv',
      calls: [INSTALL_UV, 'uv pip install --python <app-root>/bin/python -r pylock.toml |', 'pip install . |'],
    },
    {
      name: 'pylock.toml with pip 26.0: still uv',
      files: ['pylock.toml'],
      env: {FAKE_PIP_VERSION: '26.0.1'},
      printed: 'from pylock.toml with uv',
      calls: [INSTALL_UV, 'uv pip install --python <app-root>/bin/python -r pylock.toml |'],
    },
    ...['26.1', '27.0.2'].map((version) => ({
      name: `pylock.toml with pip ${version}: pip`,
      files: ['pylock.toml', 'requirements.txt'],
      env: {FAKE_PIP_VERSION: version},
      printed: 'from pylock.toml with pip',
      calls: ['pip install -r pylock.toml |'],
    })),
    {
      name: 'ENABLE_UV asks for uv even where pip could read pylock.toml',
      files: ['pylock.toml'],
      env: {FAKE_PIP_VERSION: '26.1', ENABLE_UV: 'true'},
      printed: 'from pylock.toml with uv',
      calls: [INSTALL_UV, 'uv pip install --python <app-root>/bin/python -r pylock.toml |'],
    },
    {
      name: 'Pipfile.lock and poetry.lock are not read without ENABLE_PIPENV/ENABLE_MICROPIPENV: requirements.txt with pip',
      files: ['Pipfile', 'Pipfile.lock', 'poetry.lock', 'requirements.txt', 'pyproject.toml'],
      printed: 'from requirements.txt with pip',
      calls: ['pip install -r requirements.txt |', 'pip install . |'],
    },
    {
      // The red case of the uv.lock branch: without it, pip installs the project unpinned.
      name: 'DISABLE_UV: uv.lock is not read, pip installs requirements.txt and the project',
      files: ['uv.lock', 'requirements.txt', 'pyproject.toml'],
      env: {DISABLE_UV: '1'},
      printed: 'from requirements.txt with pip',
      calls: ['pip install -r requirements.txt |', 'pip install . |'],
    },
    {
      name: 'ENABLE_UV: uv installs requirements.txt and the project',
      files: ['requirements.txt', 'setup.py'],
      env: {ENABLE_UV: 'yes'},
      printed: 'from requirements.txt with uv',
      calls: [INSTALL_UV, 'uv pip install --python <app-root>/bin/python -r requirements.txt |', 'uv pip install --python <app-root>/bin/python . |'],
    },
    {
      name: 'DISABLE_PYPROJECT_TOML_PROCESSING: uv installs the lock without the project',
      files: ['uv.lock', 'pyproject.toml'],
      env: {DISABLE_PYPROJECT_TOML_PROCESSING: '1'},
      printed: 'from uv.lock with uv',
      calls: [INSTALL_UV, `${UV_SYNC} --no-install-project |${FROM_LOCK}`],
    },
  ];
  for (const c of cases) {
    const box = toolSandbox('assemble-order');
    box.files(c.files);
    const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, ...c.env}, cwd: box.home});
    t.is(r.code, 0, `${c.name}: ${r.stderr}`);
    const printed = r.stdout.split('\n').filter((l) => l.startsWith('---> Installing dependencies'));
    t.deepEqual(printed, [`---> Installing dependencies ${c.printed}`], c.name);
    const calls = box.calls().split('\n').filter((l) => !l.startsWith('fix-permissions') && l);
    t.deepEqual(calls, c.calls, c.name);
    t.deepEqual(fs.readdirSync(box.tmp), [], `${c.name}: the scratch folder (uv with it) is gone`);
  }
});

test('assemble: a uv.lock build names no index: the lock is synced; with one, it is checked with its own and installed from that one', async (t) => {
  const sync = [INSTALL_UV, `${UV_SYNC} |${FROM_LOCK}`];
  // `own` is the user's own uv variable, which every tool sees; PIP_INDEX_URL reaches uv's install only.
  const exported = (index: string, own = '') => [
    `${INSTALL_UV}${own}`,
    // the check and export see no index variable, so the lock is judged against its own index
    'uv export --locked --no-dev --no-editable --format requirements.txt --quiet --output-file <scratch>/uv-lock-requirements.txt |',
    `uv pip install --python <app-root>/bin/python --no-deps -r <scratch>/uv-lock-requirements.txt | UV_DEFAULT_INDEX=${index}`,
  ];
  const cases: Array<[NodeJS.ProcessEnv, string[]]> = [
    [{}, sync],
    [{PIP_INDEX_URL: 'https://mirror.example.test/simple/'}, exported('https://mirror.example.test/simple/')],
    [{UV_DEFAULT_INDEX: '"https://uv.example.test/simple/"'}, exported('https://uv.example.test/simple/', ' UV_DEFAULT_INDEX=https://uv.example.test/simple/')],
    // PIP_CERT is the CA bundle uv trusts too, unless SSL_CERT_FILE names one
    [{PIP_CERT: '/ca/bundle.pem'}, [INSTALL_UV, `${UV_SYNC} |${FROM_LOCK} SSL_CERT_FILE=/ca/bundle.pem`]],
    [{PIP_CERT: '/ca/bundle.pem', SSL_CERT_FILE: '/ca/own.pem'}, [`${INSTALL_UV} SSL_CERT_FILE=/ca/own.pem`, `${UV_SYNC} |${FROM_LOCK} SSL_CERT_FILE=/ca/own.pem`]],
  ];
  for (const [env, calls] of cases) {
    const box = toolSandbox('assemble-uv-index');
    box.files(['uv.lock', 'pyproject.toml']);
    const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, ...env}, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    const got = box.calls().split('\n').filter((l) => !l.startsWith('fix-permissions') && l);
    t.deepEqual(got, calls, JSON.stringify(env));
  }
  // UV_INDEX_URL, uv's older name, is used as it is; a UV_DEFAULT_INDEX beside it wins in uv itself.
  const box = toolSandbox('assemble-uv-index-url');
  box.files(['uv.lock', 'pyproject.toml']);
  const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, UV_INDEX_URL: 'https://old.example.test/'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.true(box.calls().includes('--no-deps -r <scratch>/uv-lock-requirements.txt | UV_INDEX_URL=https://old.example.test/\n'), box.calls());
});

test('assemble: a stale uv.lock fails the build with uv\'s message; nothing is locked again or installed after it', async (t) => {
  const box = toolSandbox('assemble-stale');
  box.files(['uv.lock', 'pyproject.toml', 'requirements.txt']);
  const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, FAKE_UV_STALE: '1'}, cwd: box.home});
  t.is(r.code, 1);
  t.true(r.stderr.includes('error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.'), r.stderr);
  t.deepEqual(box.calls().split('\n').filter((l) => !l.startsWith('fix-permissions') && l), [INSTALL_UV, `${UV_SYNC} |${FROM_LOCK}`]);
  t.deepEqual(fs.readdirSync(box.tmp), [], 'the scratch folder is removed on failure too');
});

test('assemble: contradicting settings stop the build with exit 3 before anything moves', async (t) => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ENABLE_UV: '1', ENABLE_PIPENV: '1'}, 'ERROR: ENABLE_UV cannot be combined with ENABLE_PIPENV or ENABLE_MICROPIPENV!'],
    [{ENABLE_UV: '1', ENABLE_MICROPIPENV: '1'}, 'ERROR: ENABLE_UV cannot be combined with ENABLE_PIPENV or ENABLE_MICROPIPENV!'],
    [{ENABLE_UV: '1', DISABLE_UV: '"1"'}, 'ERROR: ENABLE_UV and DISABLE_UV cannot be set at the same time!'],
  ];
  for (const [env, message] of cases) {
    const box = toolSandbox('assemble-contradict');
    box.files(['uv.lock', 'pyproject.toml']);
    const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, ...env}, cwd: box.home});
    t.is(r.code, 3, JSON.stringify(env));
    t.is(r.stdout, `${message}\n`);
    t.deepEqual(fs.readdirSync(box.home), []);
    t.is(box.calls(), '');
  }
  // ENABLE_UV with an empty value is not set: the build goes on.
  const box = toolSandbox('assemble-contradict-empty');
  box.files(['requirements.txt']);
  const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, ENABLE_UV: '""', DISABLE_UV: '1'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);

  // pylock.toml with DISABLE_UV needs a pip that reads it: exit 3, naming the pip.
  const old = toolSandbox('assemble-pylock-no-uv');
  old.files(['pylock.toml']);
  const r2 = await run('bash', [bin('s2i/bin/assemble')], {env: {...old.env, DISABLE_UV: '1'}, cwd: old.home});
  t.is(r2.code, 3);
  t.true(r2.stdout.endsWith('ERROR: pylock.toml needs pip 26.1 or later, or uv; this is pip 23.0.1 and DISABLE_UV is set.\n'), r2.stdout);
});

test('assemble: ENABLE_PIPENV and ENABLE_MICROPIPENV are chosen before any lock file', async (t) => {
  for (const tool of ['pipenv', 'micropipenv']) {
    const box = toolSandbox(`assemble-explicit-${tool}`);
    // python3.11 -m venv DIR: a tool environment whose pip and tool only log their calls.
    write(
      path.join(box.fakeBin, 'python3.11'),
      `#!/bin/sh\nmkdir -p "$3/bin"\ncp "${path.join(box.fakeBin, 'pip')}" "$3/bin/pip"\nprintf '#!/bin/sh\\necho "${tool} $*" >> "%s"\\n' "${box.log}" > "$3/bin/${tool}"\nchmod +x "$3/bin/${tool}"\n`,
      0o755,
    );
    box.files(['uv.lock', 'pylock.toml', 'Pipfile', 'Pipfile.lock', 'pyproject.toml']);
    const env = {...box.env, PATH: `${path.join(box.home, '.local', 'bin')}:${box.env.PATH}`, [`ENABLE_${tool.toUpperCase()}`]: '1', DISABLE_PYPROJECT_TOML_PROCESSING: '1'};
    const r = await run('bash', [bin('s2i/bin/assemble')], {env, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    t.false(box.calls().includes('uv '), box.calls());
    t.true(box.calls().includes(`${tool} install --deploy\n`), box.calls());
    t.regex(r.stdout, tool === 'pipenv' ? /^---> Installing dependencies from Pipfile\.lock with pipenv$/m : /^---> Installing dependencies with micropipenv \(Pipfile\.lock, poetry\.lock or requirements\.txt, the first it finds\)$/m);
  }
});

// ---------------------------------------------------------------------------------------------
// The download cache and save-artifacts: what the previous image hands over, and how assemble
// takes it from the artifacts folder s2i puts beside the source.

/** A previous application image's home: pip's and uv's caches (with uv's relative links), the source, a venv. */
function previousImage(box: ReturnType<typeof toolSandbox>): string {
  const home = path.join(box.dir, 'previous-home');
  write(path.join(home, '.cache/pip/http-v2/a/b/wheel-body'), 'django wheel\n');
  write(path.join(home, '.cache/uv/archive-v0/K1/django/__init__.py'), '# django\n');
  fs.mkdirSync(path.join(home, '.cache/uv/wheels-v8/pypi/django'), {recursive: true});
  fs.symlinkSync('../../../archive-v0/K1', path.join(home, '.cache/uv/wheels-v8/pypi/django/5.2-py3-none-any'));
  write(path.join(home, 'manage.py'), 'print("source")\n');
  write(path.join(home, '.local/venvs/pipenv/bin/pipenv'), '#!/bin/sh\n');
  return home;
}

/** Runs save-artifacts with `env` and returns its stdout as a file, and the archive's members. */
async function saveArtifactsOf(box: ReturnType<typeof toolSandbox>, env: NodeJS.ProcessEnv): Promise<{archive: string; members: string[]}> {
  const archive = path.join(box.dir, 'artifacts.tar');
  const r = await run('bash', ['-c', `"$0" > "${archive}"`, bin('s2i/bin/save-artifacts')], {env: {PATH: '/usr/bin:/bin', TMPDIR: box.tmp, ...env}});
  if (r.code !== 0) throw new Error(`save-artifacts exited ${r.code}: ${r.stderr}`);
  const list = await run('tar', ['-tf', archive]);
  return {archive, members: list.stdout.split('\n').filter(Boolean)};
}

test('save-artifacts archives pip\'s and uv\'s caches as pip/ and uv/, nothing else, links as they are', async (t) => {
  const box = toolSandbox('save-artifacts');
  const home = previousImage(box);
  const {archive, members} = await saveArtifactsOf(box, {HOME: home});
  t.is(judgeArtifactMembers(members), undefined, members.join(' '));
  t.true(members.includes('pip/http-v2/a/b/wheel-body'), members.join(' '));
  t.true(members.includes('uv/archive-v0/K1/django/__init__.py'), members.join(' '));
  const verbose = await run('tar', ['-tvf', archive]);
  t.regex(verbose.stdout, /uv\/wheels-v8\/pypi\/django\/5\.2-py3-none-any -> \.\.\/\.\.\/\.\.\/archive-v0\/K1/);
  t.deepEqual(fs.readdirSync(box.tmp), [], 'its scratch archive is removed');

  // PIP_CACHE_DIR and UV_CACHE_DIR (quoted, as .s2i/environment gives them) name the caches.
  const elsewhere = path.join(box.dir, 'elsewhere');
  fs.mkdirSync(elsewhere);
  fs.renameSync(path.join(home, '.cache/pip'), path.join(elsewhere, 'pip-cache'));
  const moved = await saveArtifactsOf(box, {HOME: home, PIP_CACHE_DIR: `"${path.join(elsewhere, 'pip-cache')}"`});
  t.true(moved.members.includes('pip/http-v2/a/b/wheel-body'), moved.members.join(' '));

  // No cache at all: a valid, empty archive.
  const empty = await saveArtifactsOf(box, {HOME: path.join(box.dir, 'nothing')});
  t.deepEqual(empty.members, []);
  t.true(fs.statSync(empty.archive).size > 0, 'an empty tar archive, not an empty stream');
});

test('assemble takes the caches from the artifacts beside the source; pip and uv then use them', async (t) => {
  const box = toolSandbox('assemble-artifacts');
  const {archive} = await saveArtifactsOf(box, {HOME: previousImage(box)});
  const artifacts = path.join(box.dir, 'artifacts');
  fs.mkdirSync(artifacts);
  await run('tar', ['-xf', archive, '-C', artifacts]);
  box.files(['requirements.txt']);
  const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, PIP_NO_CACHE_DIR: 'off'}, cwd: box.home});
  t.is(r.code, 0, r.stderr);
  t.is(judgeRebuildLog(r.stdout), undefined, r.stdout);
  t.true(r.stdout.includes(`${CACHE_TAKEN}pip uv)\n`), r.stdout);
  t.is(fs.readFileSync(path.join(box.home, '.cache/pip/http-v2/a/b/wheel-body'), 'utf8'), 'django wheel\n');
  t.is(fs.readlinkSync(path.join(box.home, '.cache/uv/wheels-v8/pypi/django/5.2-py3-none-any')), '../../../archive-v0/K1');
  t.deepEqual(fs.readdirSync(artifacts), [], 'nothing of the artifacts is left to stay in the image');
  // The image's PIP_NO_CACHE_DIR=off would keep pip from its cache: assemble drops it.
  t.is(box.calls().split('\n').find((l) => l.startsWith('pip install -r')), 'pip install -r requirements.txt |');

  // Without artifacts nothing is taken, and HOME gets no cache folder of assemble's making.
  const plain = toolSandbox('assemble-no-artifacts');
  plain.files(['requirements.txt']);
  const r2 = await run('bash', [bin('s2i/bin/assemble')], {env: {...plain.env, PIP_NO_CACHE_DIR: 'off'}, cwd: plain.home});
  t.is(r2.code, 0, r2.stderr);
  t.regex(judgeRebuildLog(r2.stdout) ?? 'passed', /did not take the archive/);
  t.deepEqual(fs.readdirSync(plain.home), ['requirements.txt']);

  // A cache the source brings stays as it is; the other one is taken.
  const own = toolSandbox('assemble-own-cache');
  fs.mkdirSync(path.join(own.dir, 'artifacts'));
  await run('tar', ['-xf', archive, '-C', path.join(own.dir, 'artifacts')]);
  write(path.join(own.src, '.cache/pip/mine'), 'the source\'s\n');
  const r3 = await run('bash', [bin('s2i/bin/assemble')], {env: own.env, cwd: own.home});
  t.is(r3.code, 0, r3.stderr);
  t.true(r3.stdout.includes(`${CACHE_TAKEN}uv)\n`), r3.stdout);
  t.deepEqual(fs.readdirSync(path.join(own.home, '.cache/pip')), ['mine']);

  // A cache that cannot be put where pip looks (a file stands in its way) is a warning; the build goes on.
  const blocked = toolSandbox('assemble-blocked-cache');
  fs.mkdirSync(path.join(blocked.dir, 'artifacts'));
  await run('tar', ['-xf', archive, '-C', path.join(blocked.dir, 'artifacts')]);
  write(path.join(blocked.dir, 'a-file'), 'not a folder\n');
  blocked.files(['requirements.txt']);
  const r4 = await run('bash', [bin('s2i/bin/assemble')], {env: {...blocked.env, PIP_CACHE_DIR: path.join(blocked.dir, 'a-file/pip')}, cwd: blocked.home});
  t.is(r4.code, 0, r4.stderr);
  t.true(r4.stdout.includes(`WARNING: the previous build's pip cache could not be moved to ${path.join(blocked.dir, 'a-file/pip')}; building without it.\n`), r4.stdout);
  t.true(r4.stdout.includes(`${CACHE_TAKEN}uv)\n`), r4.stdout);
  t.true(r4.stdout.includes('---> Installing dependencies from requirements.txt with pip\n'), r4.stdout);
});

test('assemble: the cache variables pip and uv see; DISABLE_DOWNLOAD_CACHE turns both caches off and drops the artifacts', async (t) => {
  const cacheVars = `echo "PIP_CACHE_DIR=\${PIP_CACHE_DIR-unset} PIP_NO_CACHE_DIR=\${PIP_NO_CACHE_DIR-unset} UV_CACHE_DIR=\${UV_CACHE_DIR-unset} UV_NO_CACHE=\${UV_NO_CACHE-unset}" >> "$LOG"`;
  // <home> and <box> stand for the sandbox's HOME and folder.
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{}, 'PIP_CACHE_DIR=<home>/.cache/pip PIP_NO_CACHE_DIR=unset UV_CACHE_DIR=<home>/.cache/uv UV_NO_CACHE=unset'],
    [{PIP_CACHE_DIR: "'<box>/builds/pip'", UV_CACHE_DIR: '<box>/builds/uv'}, 'PIP_CACHE_DIR=<box>/builds/pip PIP_NO_CACHE_DIR=unset UV_CACHE_DIR=<box>/builds/uv UV_NO_CACHE=unset'],
    [{DISABLE_DOWNLOAD_CACHE: '1'}, 'PIP_CACHE_DIR=unset PIP_NO_CACHE_DIR=off UV_CACHE_DIR=unset UV_NO_CACHE=1'],
  ];
  for (const [template, expected] of cases) {
    const box = toolSandbox('assemble-cache-vars');
    const env = Object.fromEntries(Object.entries(template).map(([k, v]) => [k, v!.replace('<box>', box.dir)]));
    write(path.join(box.fakeBin, 'pip'), `#!/bin/sh\nLOG="${box.log}"\n${cacheVars}\n`, 0o755);
    fs.mkdirSync(path.join(box.dir, 'artifacts/uv'), {recursive: true});
    box.files(['requirements.txt']);
    const r = await run('bash', [bin('s2i/bin/assemble')], {env: {...box.env, PIP_NO_CACHE_DIR: 'off', ...env}, cwd: box.home});
    t.is(r.code, 0, r.stderr);
    const calls = box.calls().replaceAll(box.dir, '<box>');
    t.deepEqual(calls.split('\n').filter((l) => !l.startsWith('fix-permissions') && l), [expected], JSON.stringify(template));
    t.deepEqual(fs.readdirSync(path.join(box.dir, 'artifacts')), [], 'the artifacts do not stay behind');
    t.is(r.stdout.includes(CACHE_TAKEN), !env.DISABLE_DOWNLOAD_CACHE, JSON.stringify(env));
  }
});
