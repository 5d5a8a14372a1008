/**
 * Runs a parsed call as `dagger call` does once the module is served: flag values become
 * GraphQL arguments (paths on this machine become host directories and files, secrets are
 * set in the session), the constructor's flags go to `with`, then the function and the
 * chained core functions are one query.
 */
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { GraphQLClient } from "graphql-request";
import { UsageError } from "../../ci/src/errors.js";
import type { CallPlan, RawValue } from "./parse.js";
import type { ArgDef, FunctionDef } from "./typedefs.js";

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

const lit = (v: unknown) => JSON.stringify(v);

/** The ID of an object argument, made in the session first. */
async function objectId(gql: GraphQLClient, a: ArgDef, text: string): Promise<string> {
  let q: string;
  switch (a.type.name) {
    case "Directory":
      q = `{ v: host { directory(path: ${lit(resolve(text))}${a.ignore?.length ? `, exclude: ${lit(a.ignore)}` : ""}) { id } } }`;
      break;
    case "File":
      q = `{ v: host { file(path: ${lit(resolve(text))}) { id } } }`;
      break;
    case "Secret":
      q = `{ v: setSecret(name: ${lit(`${a.name}-${randomBytes(6).toString("hex")}`)}, plaintext: ${lit(secretText(text, `--${a.name}`))}) { id } }`;
      break;
    case "Container":
      q = `{ v: container { from(address: ${lit(text)}) { id } } }`;
      break;
    case "Service": {
      // tcp://HOST:PORT: a service that forwards to HOST:PORT as this machine reaches it, as the CLI makes one.
      const [, host, port] = /^tcp:\/\/(.+):(\d+)$/.exec(text)!;
      q = `{ v: host { service(ports: [{ frontend: ${port}, backend: ${port} }], host: ${lit(host)}) { id } } }`;
      break;
    }
    default:
      throw new UsageError(`--${a.name}: arguments of type ${a.type.name} are not supported here`);
  }
  const r = await gql.request<{ v: Record<string, { id: string }> | { id: string } }>(q);
  return "id" in r.v ? (r.v.id as string) : Object.values(r.v)[0].id;
}

/** `name: value, ...` for the flags given; defaults are the engine's to apply. */
async function argList(gql: GraphQLClient, defs: Record<string, ArgDef>, values: Record<string, RawValue>): Promise<string> {
  const parts: string[] = [];
  for (const a of Object.values(defs)) {
    const v = values[a.name];
    if (v === undefined) continue;
    parts.push(`${a.name}: ${lit(a.type.kind === "OBJECT_KIND" ? await objectId(gql, a, String(v)) : v)}`);
  }
  return parts.join(", ");
}

/** What a result prints when nothing is chained, by the function's return type (the leaf selection). */
function leaf(fn: FunctionDef): string {
  switch (fn.returnType.name) {
    case "Directory":
      return "{ entries }";
    case "File":
      return "{ contents }";
    case "Container":
      return "{ sync }";
  }
  return fn.returnType.kind === "OBJECT_KIND" ? "{ id }" : "";
}

/** The whole query of a call; `ctor` holds the constructor's flags (selected through `with`). */
export async function callQuery(gql: GraphQLClient, plan: CallPlan, ctor: Record<string, ArgDef>): Promise<string> {
  let sel = `${plan.fn.name}`;
  const args = await argList(gql, plan.fn.arguments, plan.args);
  if (args) sel += `(${args})`;
  let tail = "";
  for (const step of [...plan.chain].reverse()) {
    const arg = step.value === undefined ? "" : step.name === "export" ? `(path: ${lit(resolve(step.value))})` : `(address: ${lit(step.value)})`;
    tail = tail ? `{ ${step.name}${arg} ${tail} }` : `{ ${step.name}${arg} }`;
  }
  sel += ` ${tail || leaf(plan.fn)}`;
  const withArgs = await argList(gql, ctor, plan.ctorArgs);
  return withArgs ? `{ with(${withArgs}) { ${sel} } }` : `{ ${sel} }`;
}

/** What the call prints: the last value of the chain (lists one per line). */
export function printable(data: unknown, plan: CallPlan): string {
  let v: unknown = data;
  while (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v as object);
    if (keys.length !== 1) break;
    v = (v as Record<string, unknown>)[keys[0]];
  }
  if (!plan.chain.length && plan.fn.returnType.name === "Container")
    return `Container evaluated; chain a function to keep it (call ${plan.fn.name} --help lists them)`;
  if (Array.isArray(v)) return v.join("\n");
  return v === null || v === undefined ? "" : String(v);
}
