/**
 * A small wrapper over the podman CLI: argument arrays (no shell strings), captured output,
 * and errors that say which command failed, how, and the end of what it printed.
 */
import { execFile, spawn } from "node:child_process";
import { tail } from "../../ci/src/verify/http-check.js";

export interface RunResult {
  /** The exit code; null when the process was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process after this many milliseconds (default: 30 minutes). */
  timeoutMs?: number;
  /** Do not throw on a non-zero exit: the caller reads `code`. */
  allowFailure?: boolean;
  /** Text written to the process's stdin. */
  input?: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string[],
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    const why = code === null ? "was killed (timeout)" : `exited ${code}`;
    const out = (stderr.trim() || stdout.trim()) ? `\n${tail((stderr.trim() || stdout).trimEnd(), 30)}` : "";
    super(`\`${quote(command)}\` ${why}${out}`);
    this.name = "CommandError";
  }
}

/** A command line as one readable string, for messages only (never executed). */
export function quote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** Runs a program (not a shell) and returns its output; throws CommandError on failure unless allowFailure. */
export function run(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30 * 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start \`${quote([file, ...args])}\`: ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const r: RunResult = {
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        seconds: (performance.now() - started) / 1000,
      };
      if (code !== 0 && !opts.allowFailure) reject(new CommandError([file, ...args], code, r.stdout, r.stderr));
      else resolve(r);
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** `podman ARGS...` */
export function podman(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run("podman", args, opts);
}

/** Why the container tests cannot run here, or undefined when podman is usable (installed, and we are root). */
export async function podmanUnavailable(): Promise<string | undefined> {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return `not running as root (uid ${process.getuid()}): the podman tests need rootful podman (ci/scripts/setup-podman.sh)`;
  }
  const found = await new Promise<boolean>((res) => execFile("podman", ["--version"], (e) => res(!e)));
  if (!found) return "podman is not installed: run ci/scripts/setup-podman.sh";
  return undefined;
}

/** Removes a container at once (Python as PID 1 ignores SIGTERM, so no grace period); never throws. */
export async function removeContainer(id: string): Promise<void> {
  await podman(["rm", "-f", "-t", "0", id], { allowFailure: true, timeoutMs: 60_000 });
}

/** The last lines of a container's log (stdout and stderr together), never throws. */
export async function containerLogs(id: string, lines = 40): Promise<string> {
  const r = await podman(["logs", "--tail", String(lines), id], { allowFailure: true, timeoutMs: 60_000 });
  return (r.stdout + r.stderr).trimEnd();
}

/** Image size in bytes as podman reports it. */
export async function imageSize(ref: string): Promise<number> {
  const r = await podman(["image", "inspect", "--format", "{{.Size}}", ref]);
  return Number(r.stdout.trim());
}

/** A counting semaphore: at most `limit` holders at a time, served first come, first served. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
