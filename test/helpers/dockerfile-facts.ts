/**
 * Reads the facts of a rendered Dockerfile that the tests compare with upstream: the stages'
 * FROM lines, EXPOSE, ENV and LABEL pairs, the INSTALL_PKGS list, the last USER, CMD and WORKDIR.
 * Continuation lines are joined first, so a fact spread over several lines reads as one.
 */
export interface DockerfileFacts {
  from: string[];
  expose: string[];
  env: Partial<Record<string, string>>;
  labels: Partial<Record<string, string>>;
  installPkgs: string[];
  user?: string;
  cmd?: string;
  workdir?: string;
  entrypoint?: string;
  instructions: string[];
}

export function dockerfileFacts(text: string): DockerfileFacts {
  const joined = text
    .split("\n")
    .filter((l) => !l.trim().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const facts: DockerfileFacts = { from: [], expose: [], env: {}, labels: {}, installPkgs: [], instructions: [] };
  for (const line of joined
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [instr, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    facts.instructions.push(instr.toUpperCase());
    switch (instr.toUpperCase()) {
      case "FROM":
        facts.from.push(args.split(/\s+/)[0]);
        break;
      case "EXPOSE":
        facts.expose.push(...args.split(/\s+/));
        break;
      case "ENV":
        Object.assign(facts.env, pairs(args));
        break;
      case "LABEL":
        Object.assign(facts.labels, pairs(args));
        break;
      case "RUN": {
        const m = /INSTALL_PKGS="([^"]*)"/.exec(args);
        if (m) facts.installPkgs.push(...m[1].split(/\s+/).filter(Boolean));
        break;
      }
      case "USER":
        facts.user = args;
        break;
      case "CMD":
        facts.cmd = args;
        break;
      case "WORKDIR":
        facts.workdir = args;
        break;
      case "ENTRYPOINT":
        facts.entrypoint = args;
        break;
    }
  }
  return facts;
}

/** KEY=VALUE pairs as ENV and LABEL write them, values optionally double-quoted. */
function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_.-]+)=("((?:[^"\\]|\\.)*)"|\S*)/g;
  for (const m of text.matchAll(re)) out[m[1]] = m[3] !== undefined ? m[3] : m[2];
  return out;
}
