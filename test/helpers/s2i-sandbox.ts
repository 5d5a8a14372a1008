// The s2i scripts and root helper scripts (templates/s2i/bin, templates/root) as the tests run
// them on the host: rendered by the project's own renderer for a full and a minimal version key
// (3.11, 3.11-minimal) into a scratch folder, with sandboxes whose PATH starts with fake tools.
// What needs another uid runs in the built images instead (verify/uid-probes.ts), and the
// shellcheck lint in a container (the module's lint function).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Target } from "../../ci/src/spec/types.js";
import { project } from "./project.js";

/** Paths in a target's tree (after the version key) this file covers. */
export const scripts = [
  "s2i/bin/assemble",
  "s2i/bin/run",
  "s2i/bin/save-artifacts",
  "s2i/bin/usage",
  "s2i/bin/init-wrapper",
  "root/opt/app-root/etc/generate_container_user",
  "root/usr/bin/fix-permissions",
  "root/usr/bin/cgroup-limits",
  "root/usr/bin/rpm-file-permissions",
  "root/usr/bin/deb-file-permissions",
  "root/usr/bin/container-entrypoint",
];

const { spec, renderer } = await project();

/** A scratch folder any uid can enter; each test file removes it with test.after.always(removeScratch). */
export const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "s2i-scripts-"));
fs.chmodSync(scratch, 0o755);
export function removeScratch(): void {
  fs.rmSync(scratch, { recursive: true, force: true });
}

/**
 * The scripts as the project's own renderer writes them for a version key (3.11, 3.11-minimal):
 * from the key's first target; a helper that target does not get (rpm-file-permissions, which
 * only the minimal RPM images have) from the first other target that has it, same image kind first.
 */
export function render(key: string, into: string): string {
  const minimal = key.endsWith("-minimal");
  const own = spec.targets.filter((t) => t.version.key === key);
  const sameKind = spec.targets.filter((t) => t.version.minimal === minimal && t.version.key !== key);
  const others = [...sameKind, ...spec.targets.filter((t) => t.version.minimal !== minimal)];
  const out = path.join(scratch, into);
  for (const rel of scripts) {
    let file: { content: string } | undefined;
    for (const t of [...own, ...others] as Target[]) {
      file = renderer.renderTarget(t).find((f) => f.path === `${t.version.key}/${rel}`);
      if (file) break;
    }
    if (!file) throw new Error(`no target renders ${rel}`);
    const target = path.join(out, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { mode: 0o755 });
  }
  chmodTree(out, 0o755);
  return out;
}

export function chmodTree(dir: string, mode: number): void {
  fs.chmodSync(dir, mode);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) chmodTree(path.join(dir, entry.name), mode);
  }
}

export const full = render("3.11", "full");
export const minimal = render("3.11-minimal", "minimal");
export const bin = (name: string) => path.join(full, name);

export const hostPython = ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => fs.existsSync(p)) ?? "python3";
export const hostNproc = Number(spawnSync("nproc").stdout.toString().trim());

export type Result = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? { PATH: "/usr/bin:/bin" },
      // The scratch folder by default: any uid can enter it, while the checkout may be private
      // (a clone under `mktemp -d` is 0700, and find then fails to return to its start folder).
      cwd: options.cwd ?? scratch,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
}

/** A scratch environment: fake bin dir first on PATH, a HOME, an APP_ROOT. */
export function sandbox(name: string) {
  const dir = fs.mkdtempSync(path.join(scratch, `${name}-`));
  fs.chmodSync(dir, 0o777);
  const fakeBin = path.join(dir, "bin");
  const home = path.join(dir, "home");
  const appRoot = path.join(dir, "app-root");
  const log = path.join(dir, "calls.log");
  for (const d of [fakeBin, home, path.join(appRoot, "etc")]) {
    fs.mkdirSync(d, { recursive: true });
    fs.chmodSync(d, 0o777);
  }
  fs.symlinkSync(hostPython, path.join(fakeBin, "python"));
  // Records its calls instead of changing permissions.
  write(path.join(fakeBin, "fix-permissions"), `#!/bin/sh\necho "fix-permissions $*" >> "${log}"\n`, 0o755);
  // Records its calls and fails (once per call without --isolated) when FAKE_PIP_FAIL is set.
  write(
    path.join(fakeBin, "pip"),
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
    STI_SCRIPTS_PATH: path.join(full, "s2i/bin"),
    LANG: "C.UTF-8",
  };
  const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
  return { dir, fakeBin, home, appRoot, log, env, calls };
}

/** A fake gunicorn that prints its arguments, cwd-relative details and WEB_CONCURRENCY. */
export function fakeGunicorn(fakeBin: string, version = "23.0.0"): void {
  write(
    path.join(fakeBin, "gunicorn"),
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
export function fakeCgroupLimits(fakeBin: string, lines: string[]): void {
  write(path.join(fakeBin, "cgroup-limits"), `print(${JSON.stringify(lines.join("\n"))})\n`, 0o755);
}

/** A fake importable `django` package and a manage.py that logs its arguments. */
export function fakeDjango(dir: string, log: string, dryRunFails = false): string {
  const site = path.join(dir, "site");
  write(path.join(site, "django", "__init__.py"), "");
  fs.chmodSync(site, 0o755);
  fs.chmodSync(path.join(site, "django"), 0o755);
  return `import sys
with open(${JSON.stringify(log)}, "a") as f:
    f.write("manage.py " + " ".join(sys.argv[1:]) + "\\n")
if ${dryRunFails ? "True" : "False"} and "--dry-run" in sys.argv:
    sys.exit(1)
`;
}

/** A fake gunicorn that prints its arguments and the variables it (or the app) would read. */
export function fakeGunicornEnv(fakeBin: string): void {
  write(
    path.join(fakeBin, "gunicorn"),
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
export function importingGunicorn(fakeBin: string): void {
  write(
    path.join(fakeBin, "gunicorn"),
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

export function mode(p: string): string {
  return (fs.lstatSync(p).mode & 0o7777).toString(8).padStart(4, "0");
}

/** The rendered run script. */
export const runScript = () => bin("s2i/bin/run");

/** What assemble is expected to have called: fix-permissions on APP_ROOT first and last, these calls between. */
export function assembleCalls(box: { appRoot: string }, calls: string[]): string {
  return [`fix-permissions ${box.appRoot} -P`, ...calls, `fix-permissions ${box.appRoot} -P`, ""].join("\n");
}
