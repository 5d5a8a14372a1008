/**
 * The image's own helper scripts run as an arbitrary uid, as OpenShift and `podman run --user N`
 * start a container: fix-permissions, generate_container_user and the s2i run script. Each
 * probe is a Python script run as root in the image (Python is in every image); it prepares
 * files, runs the image's script as another uid (setgroups, setgid 0, setuid, as a container
 * engine does) and prints one JSON line of what it saw. The judges below compare it with the
 * scripts' promises; the checks are entries of verify/engine/checks.ts.
 */
import { PASS, type Verdict } from "./results.js";

/** The uid that no image knows: OpenShift's arbitrary uid. */
export const ARBITRARY_UID = 12345;
/** The image user. */
export const IMAGE_UID = 1001;

/** Shared by the probes: run a command as a uid in group 0 (no other groups) and capture it. */
const RUN_AS = `
import json, os, subprocess, sys, tempfile
def run_as(uid, args, **kw):
    def drop():
        os.setgroups([])
        os.setgid(0)
        os.setuid(uid)
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, preexec_fn=drop if uid else None, **kw)
    return {"code": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
def mode(p):
    st = os.lstat(p)
    return "%04o" % (st.st_mode & 0o7777)
def write(p, text, m):
    d = os.path.dirname(p)
    if not os.path.isdir(d):
        os.makedirs(d)
    with open(p, "w") as f:
        f.write(text)
    os.chmod(p, m)
`;

/** What a probe printed: a command's result and what the probe read afterwards. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * As root: a tree in group 1234 with a private file, an executable, a directory without
 * u+x, and a link (in group 1234) to a file outside; fix-permissions TREE -P.
 */
export const FIX_PERMISSIONS_AS_ROOT = `${RUN_AS}
d = tempfile.mkdtemp(); os.chmod(d, 0o755)
tree, outside = os.path.join(d, "tree"), os.path.join(d, "outside")
write(os.path.join(tree, "sub", "file"), "x", 0o600)
write(os.path.join(tree, "exe"), "x", 0o700)
write(outside, "x", 0o600)
os.chmod(os.path.join(tree, "sub"), 0o700); os.chmod(tree, 0o700)
os.symlink(outside, os.path.join(tree, "link")); os.lchown(os.path.join(tree, "link"), 0, 1234)
os.mkdir(os.path.join(tree, "odd")); os.chmod(os.path.join(tree, "odd"), 0o640)
for p in [tree, os.path.join(tree, "sub"), os.path.join(tree, "sub", "file"), os.path.join(tree, "exe"), outside]:
    os.chown(p, 0, 1234)
r = run_as(0, ["/usr/bin/fix-permissions", tree, "-P"], cwd=d)
paths = [tree, os.path.join(tree, "sub"), os.path.join(tree, "sub", "file"), os.path.join(tree, "exe"), os.path.join(tree, "odd")]
r["modes"] = ["%s:%d" % (mode(p), os.stat(p).st_gid) for p in paths]
r["outside"] = "%s:%d" % (mode(outside), os.stat(outside).st_gid)
print(json.dumps(r))
`;

export interface FixPermissionsAsRoot extends RunResult {
  modes: string[];
  outside: string;
}

export function judgeFixPermissionsAsRoot(o: FixPermissionsAsRoot): Verdict {
  const want = ["0770:0", "0770:0", "0660:0", "0770:0", "0670:0"];
  const problems = [
    ...(o.code !== 0 ? [`exit ${o.code}`] : []),
    ...(o.stdout + o.stderr ? [`printed ${JSON.stringify(o.stdout + o.stderr)}`] : []),
    ...(o.modes.join(" ") !== want.join(" ") ? [`tree, sub, sub/file, exe, odd: ${o.modes.join(" ")}`] : []),
    ...(o.outside !== "0600:1234" ? [`the file behind the link: ${o.outside}`] : []),
  ];
  return problems.length
    ? {
        outcome: "fail",
        expected: `exit 0, no output; modes:groups ${want.join(" ")}; the file behind the link untouched (0600:1234)`,
        got: problems.join("; "),
      }
    : PASS;
}

/** As root: a tree holding a file of uid 12345 and one of root; fix-permissions TREE as uid 12345. */
export const FIX_PERMISSIONS_AS_UID = `${RUN_AS}
d = tempfile.mkdtemp(); os.chmod(d, 0o755)
tree = os.path.join(d, "tree")
write(os.path.join(tree, "mine"), "x", 0o600)
write(os.path.join(tree, "theirs"), "x", 0o600)
os.chmod(tree, 0o777)
os.chown(os.path.join(tree, "mine"), ${ARBITRARY_UID}, 0)
r = run_as(${ARBITRARY_UID}, ["/usr/bin/fix-permissions", tree], cwd=d)
r["mine"], r["theirs"] = mode(os.path.join(tree, "mine")), mode(os.path.join(tree, "theirs"))
print(json.dumps(r))
`;

export interface FixPermissionsAsUid extends RunResult {
  mine: string;
  theirs: string;
}

export function judgeFixPermissionsAsUid(o: FixPermissionsAsUid): Verdict {
  const ok = o.code === 0 && o.stdout + o.stderr === "" && o.mine === "0660" && o.theirs === "0600";
  return ok
    ? PASS
    : {
        outcome: "fail",
        expected: `exit 0, no output; its own file 0660, root's file left at 0600`,
        got: `exit ${o.code}, output ${JSON.stringify(o.stdout + o.stderr)}; its own file ${o.mine}, root's ${o.theirs}`,
      };
}

/**
 * Sources the image's generate_container_user in bash as uid 12345, as root and as the image
 * user, each with a fresh APP_ROOT (so the image's own is not touched), and reads the passwd
 * file it wrote beside the image's /etc/passwd.
 */
export const GENERATE_CONTAINER_USER = `${RUN_AS}
script = 'source /opt/app-root/etc/generate_container_user; echo "P=\${NSS_WRAPPER_PASSWD-unset} G=\${NSS_WRAPPER_GROUP-unset} L=\${LD_PRELOAD-unset} leaked=$(compgen -v _gcu_ | wc -l)"; echo "$-"'
home = os.environ.get("HOME", "/opt/app-root/src")
out = {"home": home, "etcPasswd": open("/etc/passwd").read()}
for name, uid in [("arbitrary", ${ARBITRARY_UID}), ("root", 0), ("image", ${IMAGE_UID})]:
    root = tempfile.mkdtemp(); os.makedirs(os.path.join(root, "etc")); os.chmod(root, 0o777); os.chmod(os.path.join(root, "etc"), 0o777)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "APP_ROOT": root}
    r = run_as(uid, ["bash", "-c", script], env=env, cwd=root)
    passwd = os.path.join(root, "etc", "passwd")
    r["appRoot"] = root
    r["passwd"] = open(passwd).read() if os.path.exists(passwd) else None
    out[name] = r
print(json.dumps(out))
`;

export interface GenerateContainerUser {
  home: string;
  etcPasswd: string;
  arbitrary: RunResult & { appRoot: string; passwd: string | null };
  root: RunResult & { appRoot: string; passwd: string | null };
  image: RunResult & { appRoot: string; passwd: string | null };
}

/** The passwd entry generate_container_user gives a uid in group 0. */
export function passwdEntry(uid: number, home: string): string {
  return `default:x:${uid}:0:Default Application User:${home}:/bin/bash\n`;
}

export function judgeGenerateContainerUser(o: GenerateContainerUser): Verdict {
  const a = o.arbitrary;
  const [vars, opts] = a.stdout.split("\n");
  const wantVars = `P=${a.appRoot}/etc/passwd G=/etc/group L=libnss_wrapper.so leaked=0`;
  // The image's own passwd, its user "default" (where it has one) renamed builder, then the new entry.
  const wantPasswd = o.etcPasswd.replace(/^default:/gm, "builder:") + passwdEntry(ARBITRARY_UID, o.home);
  const problems = [
    ...(a.code !== 0 ? [`uid ${ARBITRARY_UID}: exit ${a.code}`] : []),
    ...(vars !== wantVars ? [`uid ${ARBITRARY_UID}: ${JSON.stringify(vars)}`] : []),
    ...(/[eu]/.test(opts ?? "") ? [`sourcing changed the shell options to "${opts}"`] : []),
    ...(a.stderr ? [`uid ${ARBITRARY_UID}: stderr ${JSON.stringify(a.stderr)}`] : []),
    ...(a.passwd !== wantPasswd ? [`uid ${ARBITRARY_UID}: passwd file ${JSON.stringify(a.passwd)}`] : []),
    ...(["root", "image"] as const).flatMap((k) => {
      const first = o[k].stdout.split("\n")[0];
      const ok = o[k].code === 0 && first === "P=unset G=unset L=unset leaked=0" && o[k].passwd === null;
      return ok ? [] : [`${k} uid: exit ${o[k].code}, ${JSON.stringify(first)}, passwd file ${o[k].passwd === null ? "none" : "written"}`];
    }),
  ];
  return problems.length
    ? {
        outcome: "fail",
        expected: `uid ${ARBITRARY_UID} gets /etc/passwd (its "default" user renamed builder) and "${passwdEntry(ARBITRARY_UID, o.home).trim()}", NSS_WRAPPER_* and LD_PRELOAD=libnss_wrapper.so, no leaked variable, shell options unchanged; root and uid ${IMAGE_UID} get nothing`,
        got: problems.join("; "),
      }
    : PASS;
}

/** As root: an app.sh in HOME that prints its uid and passwd entry; the image's s2i run as uid 12345. */
export const RUN_AS_ARBITRARY_UID = `${RUN_AS}
home = os.environ.get("HOME", "/opt/app-root/src")
write(os.path.join(home, "app.sh"), '#!/bin/sh\\necho "$(id -u) $NSS_WRAPPER_PASSWD"\\ntail -n 1 "$NSS_WRAPPER_PASSWD"\\n', 0o755)
r = run_as(${ARBITRARY_UID}, [os.path.join(os.environ.get("STI_SCRIPTS_PATH", "/usr/libexec/s2i"), "run")], cwd=home)
r["home"], r["appRoot"] = home, os.environ.get("APP_ROOT", "/opt/app-root")
print(json.dumps(r))
`;

export interface RunAsArbitraryUid extends RunResult {
  home: string;
  appRoot: string;
}

export function judgeRunAsArbitraryUid(o: RunAsArbitraryUid): Verdict {
  const passwd = `${o.appRoot}/etc/passwd`;
  const want = `---> Running application from script (app.sh) ...\n${ARBITRARY_UID} ${passwd}\n${passwdEntry(ARBITRARY_UID, o.home)}`;
  if (o.code === 0 && o.stdout === want) return PASS;
  return { outcome: "fail", expected: JSON.stringify(want), got: `exit ${o.code}: ${JSON.stringify(o.stdout)}`, logTail: o.stderr };
}
