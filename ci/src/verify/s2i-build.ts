/**
 * How an application is built into an image "the s2i way", as a list of steps: sources to
 * /tmp/src owned by the image user, the app's environment, assemble as uid 1001, run as the
 * command. The podman tests turn the steps into a Dockerfile; the Dagger pipeline turns the
 * same steps into container calls. One definition, two executors.
 */
export type S2iStep =
  | { op: "user"; user: string }
  | { op: "copySources"; dest: string }
  | { op: "run"; args: string[] }
  | { op: "env"; name: string; value: string }
  | { op: "cmd"; args: string[] };

export const SCRIPTS = "/usr/libexec/s2i";
export const SOURCE_DIR = "/tmp/src";

export function s2iBuildSteps(env: Record<string, string>): S2iStep[] {
  return [
    { op: "user", user: "0" },
    { op: "copySources", dest: SOURCE_DIR },
    { op: "run", args: ["chown", "-R", "1001:0", SOURCE_DIR] },
    ...Object.keys(env)
      .sort()
      .map((name): S2iStep => ({ op: "env", name, value: env[name] })),
    { op: "user", user: "1001" },
    { op: "run", args: [`${SCRIPTS}/assemble`] },
    { op: "cmd", args: [`${SCRIPTS}/run`] },
  ];
}

/** Environment variables that make pip, requests and npm trust an extra CA bundle. */
export const CA_VARIABLES = ["PIP_CERT", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"] as const;

export interface DockerfileOptions {
  /**
   * Id of a build secret holding an extra CA bundle (`podman build --secret id=ID,src=FILE`).
   * Only the assemble step sees it: mounted at /run/secrets/ID for that RUN, with
   * CA_VARIABLES pointing at it for that one command, so nothing of it stays in the image.
   */
  extraCaSecret?: string;
}

/** The Dockerfile line that runs assemble, with the extra CA as a secret mount when asked. */
export function assembleRunLine(args: string[], opts: DockerfileOptions = {}): string {
  if (!opts.extraCaSecret) return `RUN ${JSON.stringify(args)}`;
  const id = opts.extraCaSecret;
  const env = CA_VARIABLES.map((v) => `${v}=/run/secrets/${id}`);
  return `RUN --mount=type=secret,id=${id},mode=0444 ${JSON.stringify(["env", ...env, ...args])}`;
}

/** The steps as a Dockerfile; sources are expected in ./src of the build context. */
export function stepsToDockerfile(from: string, steps: S2iStep[], opts: DockerfileOptions = {}): string {
  const lines = [`FROM ${from}`];
  for (const s of steps) {
    switch (s.op) {
      case "user":
        lines.push(`USER ${s.user}`);
        break;
      case "copySources":
        lines.push(`COPY src/ ${s.dest}/`);
        break;
      case "run":
        lines.push(s.args[0] === `${SCRIPTS}/assemble` ? assembleRunLine(s.args, opts) : `RUN ${JSON.stringify(s.args)}`);
        break;
      case "env":
        lines.push(`ENV ${s.name}=${JSON.stringify(s.value)}`);
        break;
      case "cmd":
        lines.push(`CMD ${JSON.stringify(s.args)}`);
        break;
    }
  }
  return lines.join("\n") + "\n";
}
