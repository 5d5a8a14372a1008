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

/** The steps as a Dockerfile; sources are expected in ./src of the build context. */
export function stepsToDockerfile(from: string, steps: S2iStep[]): string {
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
        lines.push(`RUN ${JSON.stringify(s.args)}`);
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
