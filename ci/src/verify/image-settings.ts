/**
 * The built image's own settings, as a container engine, the s2i CLI and OpenShift read them
 * from its configuration: the user, the working directory, the exposed port, the labels and
 * the environment. What every image promises is fixed here and from the spec (its name and
 * version), never read back from the rendered Dockerfile, so a wrong template fails. Pure:
 * verify/engine/image-config.ts reads the configuration, the checks of verify/engine/checks.ts
 * hand it here.
 */
import { imageName } from "../spec/image.js";
import type { Target } from "../spec/types.js";
import { IMAGE_PORT } from "./probe-script.js";
import { PASS, type Verdict } from "./results.js";

/** An image's configuration, as the engine reports it: its labels and variables of CONFIG_LABELS and CONFIG_ENV (unset ones left out). */
export interface ImageConfig {
  user: string;
  workdir: string;
  exposedPorts: { port: number; protocol: string }[];
  labels: Record<string, string>;
  env: Record<string, string>;
}

/** The labels read from an image: what the checks judge, and what the s2i CLI reads (s2i-steps.ts). */
export const CONFIG_LABELS = [
  "name",
  "summary",
  "io.k8s.display-name",
  "io.openshift.expose-services",
  "io.openshift.tags",
  "io.openshift.s2i.scripts-url",
  "io.s2i.scripts-url",
  "io.openshift.s2i.assemble-user",
  "io.openshift.s2i.destination",
] as const;

/** The variables read from an image. */
export const CONFIG_ENV = ["PYTHON_VERSION", "APP_ROOT", "HOME", "PATH", "STI_SCRIPTS_PATH", "STI_SCRIPTS_URL"] as const;

/** What every image promises, whatever its version and distro. */
export const PROMISED = {
  /** The image user: uid 1001 (group 0), never root. */
  uid: "1001",
  appRoot: "/opt/app-root",
  home: "/opt/app-root/src",
  scriptsPath: "/usr/libexec/s2i",
  scriptsUrl: "image:///usr/libexec/s2i",
  port: IMAGE_PORT,
} as const;

/** The uid of a USER value ("1001", "1001:0", "default"): its part before the colon. */
export function userPart(user: string): string {
  return user.split(":")[0];
}

/** A failure listing what differs, or a pass. */
function problemsVerdict(expected: string, problems: string[]): Verdict {
  return problems.length ? { outcome: "fail", expected, got: problems.join("; ") } : PASS;
}

/** USER is uid 1001 (not root, not a name that resolves elsewhere). */
export function judgeImageUser(c: ImageConfig): Verdict {
  const uid = userPart(c.user);
  const why =
    uid === PROMISED.uid
      ? undefined
      : uid === "" || uid === "0" || uid === "root"
        ? `USER is ${JSON.stringify(c.user)}: root`
        : `USER is ${JSON.stringify(c.user)}`;
  return problemsVerdict(`USER ${PROMISED.uid} (group 0), as OpenShift and the s2i CLI expect`, why ? [why] : []);
}

/** WORKDIR is the image's HOME, the application's folder, and the image EXPOSEs 8080/tcp. */
export function judgeWorkdirAndPort(c: ImageConfig): Verdict {
  const ports = c.exposedPorts.map((p) => `${p.port}/${p.protocol.toLowerCase()}`);
  return problemsVerdict(`WORKDIR ${PROMISED.home} (its HOME) and EXPOSE ${PROMISED.port}/tcp`, [
    ...(c.workdir !== PROMISED.home ? [`WORKDIR is ${JSON.stringify(c.workdir)}`] : []),
    ...(c.env.HOME !== PROMISED.home ? [`HOME is ${JSON.stringify(c.env.HOME ?? "unset")}`] : []),
    ...(!ports.includes(`${PROMISED.port}/tcp`) ? [`the exposed ports are ${ports.length ? ports.join(", ") : "none"}`] : []),
  ]);
}

/** The labels every image carries, naming this image and its version (name as the build expands it). */
export function expectedLabels(t: Target): Record<string, string> {
  return {
    name: imageName(t),
    "io.k8s.display-name": `Python ${t.version.version}`,
    "io.openshift.expose-services": `${PROMISED.port}:http`,
    "io.openshift.s2i.scripts-url": PROMISED.scriptsUrl,
  };
}

/** The labels the s2i CLI and OpenShift read: named as the spec says, a builder of this Python, scripts where they are. */
export function judgeLabels(c: ImageConfig, t: Target): Verdict {
  const want = expectedLabels(t);
  const tags = (c.labels["io.openshift.tags"] ?? "").split(",");
  const problems = [
    ...Object.entries(want).flatMap(([k, v]) => (c.labels[k] === v ? [] : [`${k}=${JSON.stringify(c.labels[k] ?? "unset")}`])),
    ...["builder", `python-${t.version.shortVer}`].flatMap((tag) => (tags.includes(tag) ? [] : [`io.openshift.tags lacks ${tag}`])),
    ...(!(c.labels.summary ?? "").includes(`Python ${t.version.version} `) ? [`summary=${JSON.stringify(c.labels.summary ?? "unset")}`] : []),
  ];
  const wanted = Object.entries(want).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return problemsVerdict(
    `${wanted.join(", ")}, io.openshift.tags with builder and python-${t.version.shortVer}, a summary naming Python ${t.version.version}`,
    problems,
  );
}

/** Run as `python -c` (python found on the image's PATH): which interpreter and pip a process of the image gets. */
export const INTERPRETER_PROBE = `
import json, shutil, sys
print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "prefix": sys.prefix, "basePrefix": sys.base_prefix, "python": shutil.which("python"), "pip": shutil.which("pip")}))
`;

export interface InterpreterProbe {
  version: string;
  prefix: string;
  basePrefix: string;
  python: string | null;
  pip: string | null;
}

/** PYTHON_VERSION, APP_ROOT, HOME and the scripts path as promised, and PATH leading to the virtual environment of this Python. */
export function judgeImageEnvironment(c: ImageConfig, p: InterpreterProbe, t: Target): Verdict {
  const env = c.env;
  const root = PROMISED.appRoot;
  const wantEnv: Record<string, string> = { PYTHON_VERSION: t.version.version, APP_ROOT: root, HOME: PROMISED.home, STI_SCRIPTS_PATH: PROMISED.scriptsPath };
  const problems = [
    ...Object.entries(wantEnv).flatMap(([k, v]) => (env[k] === v ? [] : [`${k}=${JSON.stringify(env[k] ?? "unset")}`])),
    ...(!p.version.startsWith(`${env.PYTHON_VERSION}.`) ? [`python on PATH is ${p.version}, PYTHON_VERSION says ${env.PYTHON_VERSION ?? "nothing"}`] : []),
    ...(p.prefix !== root || p.basePrefix === root ? [`python on PATH runs in ${p.prefix} (base ${p.basePrefix}), not the virtual environment ${root}`] : []),
    ...(p.python !== `${root}/bin/python` ? [`PATH finds python at ${p.python ?? "nowhere"}`] : []),
    ...(p.pip !== `${root}/bin/pip` ? [`PATH finds pip at ${p.pip ?? "nowhere"}`] : []),
  ];
  return problemsVerdict(
    `${Object.entries(wantEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}; python and pip on PATH are ${root}/bin's, a virtual environment of Python ${t.version.version}`,
    problems,
  );
}

/** `python --version` names the spec's Python and the image's own PYTHON_VERSION. */
export function judgePythonVersion(version: string, output: string, pythonVersionEnv: string | undefined): Verdict {
  const problems = [
    ...(!output.includes(`Python ${version}.`) ? [`expected "Python ${version}.x", got ${JSON.stringify(output.trim().slice(0, 200))}`] : []),
    ...(pythonVersionEnv !== version ? [`the image's PYTHON_VERSION is ${JSON.stringify(pythonVersionEnv ?? "unset")}`] : []),
  ];
  return problemsVerdict(`Python ${version}.x, the image's PYTHON_VERSION=${version}`, problems);
}
