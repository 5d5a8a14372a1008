/**
 * Runs a parsed call in client mode: constructs the module's main object as `dagger call`
 * would (a Directory argument with a defaultPath is the checkout, minus its ignore list),
 * calls the function, then the chained core functions, and prints what comes back.
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../../ci/src/errors.js";
import type { CallPlan, RawValue } from "./parse.js";
import type { ArgDef, ModuleDefs } from "./typedefs.js";

type Sdk = typeof import("@dagger.io/dagger");

/** A Secret flag's plaintext: env://NAME, file://PATH or cmd://COMMAND (as the Dagger CLI reads them). */
export function secretText(spec: string, where: string): string {
  const m = /^(env|file|cmd):(?:\/\/)?(.*)$/s.exec(spec)!;
  if (m[1] === "env") {
    const v = process.env[m[2]];
    if (v === undefined) throw new UsageError(`${where}: the environment variable ${m[2]} is not set`);
    return v;
  }
  if (m[1] === "file") return readFileSync(m[2], "utf8");
  return execSync(m[2], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).replace(/\n$/, "");
}

/** A flag value as the SDK object the function expects. */
function sdkValue(sdk: Sdk, a: ArgDef, v: RawValue): unknown {
  if (a.type.kind !== "OBJECT_KIND") return v;
  const text = String(v);
  switch (a.type.name) {
    case "Directory":
      return sdk.dag.host().directory(resolve(text), { exclude: a.ignore });
    case "File":
      return sdk.dag.host().file(resolve(text));
    case "Secret":
      return sdk.dag.setSecret(a.name, secretText(text, `--${a.name}`));
    case "Container":
      return sdk.dag.container().from(text);
  }
  throw new UsageError(`--${a.name}: arguments of type ${a.type.name} are not supported here`);
}

/** The positional arguments of a constructor or method, in declaration order; undefined lets a default apply. */
function positional(sdk: Sdk, defs: Record<string, ArgDef>, values: Record<string, RawValue>, root: string): unknown[] {
  return Object.values(defs).map((a) => {
    if (values[a.name] !== undefined) return sdkValue(sdk, a, values[a.name]);
    if (a.defaultPath !== undefined && a.type.name === "Directory") {
      return sdk.dag.host().directory(resolve(root, `.${a.defaultPath}`), { exclude: a.ignore });
    }
    return undefined;
  });
}

interface Chainable {
  export?: (path: string) => Promise<string>;
  publish?: (address: string) => Promise<string>;
  entries?: () => Promise<string[]>;
  contents?: () => Promise<string>;
  sync?: () => Promise<unknown>;
}

/** What the call prints when nothing is chained: strings as they are, objects briefly. */
async function describe(result: unknown, returns: string): Promise<string> {
  if (typeof result !== "object" || result === null) return String(result);
  const r = result as Chainable;
  if (returns === "Directory") return (await r.entries!()).join("\n");
  if (returns === "File") return await r.contents!();
  await r.sync?.();
  return `${returns} evaluated; chain a function to keep it (call <function> --help lists them)`;
}

/** Runs the call; resolves to what to print. `sdk.dag` must be connected (inside connection()). */
export async function invoke(sdk: Sdk, defs: ModuleDefs, plan: CallPlan, root: string): Promise<string> {
  const mod = (await import(pathToFileURL(resolve(defs.sourceDir, "src/index.ts")).href)) as Record<string, new (...args: unknown[]) => Record<string, (...args: unknown[]) => unknown>>;
  const Main = mod[defs.main.name];
  if (!Main) throw new Error(`${defs.sourceDir}/src/index.ts does not export ${defs.main.name}`);
  const obj = new Main(...positional(sdk, defs.main.constructor?.arguments ?? {}, plan.ctorArgs, root));
  let result: unknown = await obj[plan.fn.name](...positional(sdk, plan.fn.arguments, plan.args, root));
  for (const step of plan.chain) {
    const target = result as Chainable;
    if (step.name === "export") result = await target.export!(resolve(step.value!));
    else if (step.name === "publish") result = await target.publish!(step.value!);
    else if (step.name === "entries") result = (await target.entries!()).join("\n");
    else if (step.name === "contents") result = await target.contents!();
  }
  return plan.chain.length ? String(result) : describe(result, plan.fn.returnType.name ?? "");
}
