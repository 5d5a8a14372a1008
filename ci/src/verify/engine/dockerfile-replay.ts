import { dag, type Container, type Directory, type File } from "@dagger.io/dagger";
import type { Instruction } from "../dockerfile-parse.js";
import { withExtraCa } from "./s2i-run.js";

/** Replays parsed Dockerfile instructions as Container calls (verify/dockerfile-parse.ts says why and what is supported). */

/** What an interpreted Dockerfile gives: its last stage and the command `docker run` would start. */
export interface InterpretedImage {
  container: Container;
  cmd: string[];
}

export interface InterpretInputs {
  /** Containers bound to ARG names (MINIMAL_IMAGE, FULL_IMAGE): FROM ${NAME} starts from them. */
  images: Record<string, Container>;
  /** The build context: ADD/COPY without --from read from here (e.g. app-src/). */
  context: Directory;
  /** Plain ARG values that override the Dockerfile's defaults. */
  args?: Record<string, string>;
  /**
   * A CA bundle each RUN trusts (pip/requests/npm, as for assemble in the s2i flow),
   * mounted only while the command runs: the build-time TLS proxy case.
   */
  extraCa?: File;
}

interface Stage {
  container: Container;
  cmd?: string[];
}

/** Replays the instructions as Container calls. Lazy: nothing runs until the caller awaits a leaf. */
export function interpretDockerfile(instructions: Instruction[], inputs: InterpretInputs, file = "Dockerfile"): InterpretedImage {
  const args = new Map<string, string>();
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  const need = (i: Instruction): Stage => {
    if (!current) throw new Error(`${file}:${i.line}: ${i.op} before the first FROM`);
    return current;
  };
  const subst = (text: string) =>
    text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a?: string, b?: string) => {
      const name = (a ?? b)!;
      return args.has(name) ? args.get(name)! : whole;
    });
  const imageFor = (ref: string, line: number): Container => {
    if (inputs.images[ref]) return inputs.images[ref];
    const bound = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(ref);
    if (bound && inputs.images[bound[1]]) return inputs.images[bound[1]];
    const resolved = subst(ref);
    if (stages.has(resolved)) return stages.get(resolved)!.container;
    if (resolved.includes("$")) throw new Error(`${file}:${line}: ${ref} names an ARG with no value`);
    return dag.container().from(resolved);
  };

  for (const i of instructions) {
    switch (i.op) {
      case "ARG":
        if (inputs.args?.[i.name] !== undefined) args.set(i.name, inputs.args[i.name]);
        else if (i.value !== undefined && !args.has(i.name)) args.set(i.name, i.value);
        break;
      case "FROM": {
        const base = imageFor(i.image, i.line);
        const parent = [...stages.values()].find((s) => s.container === base);
        current = { container: base, cmd: parent?.cmd };
        if (i.as) stages.set(i.as, current);
        break;
      }
      case "USER":
        need(i).container = need(i).container.withUser(subst(i.user));
        break;
      case "WORKDIR":
        need(i).container = need(i).container.withWorkdir(i.path, { expand: true });
        break;
      case "ENV":
        for (const v of i.vars) need(i).container = need(i).container.withEnvVariable(v.name, v.value, { expand: v.expand });
        break;
      case "LABEL":
        for (const [k, v] of i.labels) need(i).container = need(i).container.withLabel(k, v);
        break;
      case "RUN":
        need(i).container = withExtraCa(need(i).container, inputs.extraCa, (c) => c.withExec(i.args));
        break;
      case "CMD":
        need(i).cmd = i.args;
        need(i).container = need(i).container.withDefaultArgs(i.args);
        break;
      case "COPY": {
        const source = i.from === undefined ? inputs.context.directory(stripDot(i.src)) : imageFor(i.from, i.line).directory(i.src, { expand: true });
        need(i).container = need(i).container.withDirectory(i.dest, source, { expand: true });
        break;
      }
    }
  }
  if (!current) throw new Error(`${file}: no FROM`);
  return { container: current.container, cmd: current.cmd ?? [] };
}

function stripDot(p: string): string {
  const s = p.replace(/^\.\//, "").replace(/\/+$/, "");
  return s === "" || s === "." ? "." : s;
}
