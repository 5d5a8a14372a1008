/**
 * Shells exec'd into a running application's container, as `docker exec CONTAINER bash -c ...`
 * and `oc exec POD -- sh -ic ...` start them: each must find the image's python and pip (its
 * virtual environment, this Python) and see the application's variables. A shell started this
 * way gets the container's configured environment, not the application process's. Pure: the
 * engine runs shellScript in each shell of SHELLS (verify/engine/app-run.ts).
 */
import { PROMISED } from "./image-settings.js";

/** The shells, as a user types them after `exec`. */
export const SHELLS: readonly string[][] = [
  ["bash", "-c"],
  ["sh", "-ic"],
  ["sh", "-c"],
];

/**
 * The shell that also runs pip. Which pip a shell finds is that shell's doing (its PATH), and
 * each shell is checked for it; how that pip runs is not, so it is run once (each pip start
 * costs about 0.3 s of CPU: three per app made pip 8% of the CPU a whole .ci/run used).
 */
export const PIP_SHELL = "bash -c";

/** Prints where python and pip are found, what python says (and, with runPip, pip), then the environment. */
export function shellScript(runPip: boolean): string {
  const pip = runPip ? `printf '@pipversion %s\\n' "$(pip --version 2>&1)"; ` : "";
  return `printf '@python %s\\n' "$(command -v python)"; printf '@version %s\\n' "$(python --version 2>&1)"; printf '@pip %s\\n' "$(command -v pip)"; ${pip}env`;
}

export interface ShellRun {
  shell: string;
  code: number;
  stdout: string;
}

export interface ShellsObservation {
  /** The application's variables (its .s2i/environment and the table's env), as the shells must see them. */
  vars: Record<string, string>;
  runs: ShellRun[];
}

/** What one shell printed: its @-lines and its environment. */
function parseShell(stdout: string): { at: Record<string, string>; env: Record<string, string> } {
  const at: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const m = /^@(\w+) (.*)$/.exec(line);
    if (m) at[m[1]] = m[2];
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) env[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return { at, env };
}

/** Each shell's problems as "shell: what", or none. */
export function shellProblems(o: ShellsObservation, version: string): string[] {
  const root = PROMISED.appRoot;
  return o.runs.flatMap((r) => {
    const { at, env } = parseShell(r.stdout);
    const problems = [
      ...(r.code !== 0 ? [`exit ${r.code}`] : []),
      ...(at.python !== `${root}/bin/python` ? [`python is ${JSON.stringify(at.python ?? "")}`] : []),
      ...(!(at.version ?? "").startsWith(`Python ${version}.`) ? [`python --version says ${JSON.stringify(at.version ?? "")}`] : []),
      ...(at.pip !== `${root}/bin/pip` ? [`pip is ${JSON.stringify(at.pip ?? "")}`] : []),
      ...(r.shell === PIP_SHELL && (!(at.pipversion ?? "").includes(` from ${root}/lib/`) || !(at.pipversion ?? "").includes(`(python ${version})`))
        ? [`pip --version says ${JSON.stringify(at.pipversion ?? "")}`]
        : []),
      ...Object.entries(o.vars).flatMap(([k, v]) => (env[k] === v ? [] : [`${k}=${JSON.stringify(env[k] ?? "unset")}, expected ${JSON.stringify(v)}`])),
    ];
    return problems.map((p) => `${r.shell}: ${p}`);
  });
}
