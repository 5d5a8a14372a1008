/** The stop check's harness: how an app image's command is started as PID 1, stopped with SIGTERM and timed. */
/**
 * Starts a command the way a container engine does, as PID 1 of a new PID namespace (the
 * signal rules of PID 1 apply: a signal it has no handler for is dropped), as the image's
 * USER (a uid, a name, or user:group; group 0 as OpenShift gives it); waits until the app answers on its URL and its processes have settled; sends SIGTERM
 * from outside, as `docker stop` does; and reports PID 1's command line, the seconds until it
 * exited, whether it had to be killed after the grace period (docker's default is 10 s), and
 * its exit status. Python's standard library only (ctypes for unshare), so it runs in every
 * image; it needs CAP_SYS_ADMIN for the namespace.
 */
export const STOP_HARNESS = `
import ctypes, json, os, signal, sys, time, urllib.request, urllib.error
import pwd
cmd, url, user, grace = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3].split(":")[0], float(sys.argv[4])
uid = int(user) if user.isdigit() else pwd.getpwnam(user).pw_uid if user else 0
def out(**kw):
    print(json.dumps(kw)); sys.exit(0)
def status_of(st):
    return os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)
libc = ctypes.CDLL(None, use_errno=True)
if libc.unshare(0x20000000) != 0:
    out(error="unshare(CLONE_NEWPID) failed: " + os.strerror(ctypes.get_errno()))
pid = os.fork()
if pid == 0:
    try:
        os.setgroups([]); os.setgid(0); os.setuid(uid)
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
deadline = time.time() + 90
while True:
    try:
        urllib.request.urlopen(url, timeout=5); break
    except urllib.error.HTTPError:
        break
    except Exception:
        pass
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        out(error="the app exited with status %d before it answered" % status_of(st))
    if time.time() > deadline:
        os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
        out(error="the app did not answer on " + url + " within 90 s")
    time.sleep(0.3)
# Stop a settled server, as a rollout does: wait until no process has come or gone for 1.5 s
# (at most 20 s). A SIGTERM that lands while a server still forks its workers can hit a race of
# the server's own (a gunicorn worker that has not set its handlers yet runs the master's).
def procs():
    return sorted(p for p in os.listdir("/proc") if p.isdigit())
seen, since, settle_by = procs(), time.time(), time.time() + 20
while time.time() - since < 1.5 and time.time() < settle_by:
    time.sleep(0.2)
    now = procs()
    if now != seen:
        seen, since = now, time.time()
pid1 = open("/proc/%d/cmdline" % pid, "rb").read().replace(b"\\0", b" ").decode("utf-8", "replace").strip()
started = time.time()
os.kill(pid, signal.SIGTERM)
killed = False
while True:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.time() - started > grace:
        os.kill(pid, signal.SIGKILL); _, st = os.waitpid(pid, 0); killed = True; break
    time.sleep(0.05)
out(pid1=pid1, seconds=round(time.time() - started, 2), killed=killed, status=status_of(st), grace=grace)
`;

/** How the command of an app image is started, to stop it again. */
export interface StopVariant {
  name: string;
  cmd: string[];
  env: Record<string, string>;
}

export interface StopOutcome {
  grace?: number;
  pid1?: string;
  seconds?: number;
  killed?: boolean;
  status?: number;
  error?: string;
  /** The seconds of the earlier tries, each clean but over the limit; this outcome is the last try's (see retimeStop). */
  earlier?: number[];
}

/**
 * The ways an app's command is started to be stopped, behind the image's entrypoint: its
 * command in shell form, as `s2i build` writes CMD; with `every`, also in exec form (`exec`:
 * for an s2i build, whose command is a plain exec-form list) and each form with
 * ENABLE_INIT_WRAPPER.
 */
export function stopVariants(entrypoint: string[], cmd: string[], opts: { every: boolean; execForm: boolean }): StopVariant[] {
  const isShell = cmd[0] === "/bin/sh" && cmd[1] === "-c";
  const shell = isShell ? cmd : ["/bin/sh", "-c", cmd.join(" ")];
  const forms: [string, string[]][] = [["shell-form CMD", shell]];
  if (opts.every && opts.execForm) forms.push(["exec-form CMD", isShell ? cmd[2].split(" ") : cmd]);
  return forms.flatMap(([form, c]): StopVariant[] => [
    { name: form, cmd: [...entrypoint, ...c], env: {} },
    ...(opts.every ? [{ name: `${form}, init wrapper`, cmd: [...entrypoint, ...c], env: { ENABLE_INIT_WRAPPER: "true" } }] : []),
  ]);
}
