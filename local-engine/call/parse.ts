/**
 * The words of `dagger call`, read against the module's typedefs: constructor flags, one
 * function with its flags, then optional chained core functions on what it returns.
 * Pure (but for looking at the files that File and Directory flags name): every mistake is
 * a UsageError of one line naming the input and the valid choices, before any engine work.
 */
import { existsSync, statSync } from "node:fs";
import { UsageError } from "../../ci/src/errors.js";
import type { ArgDef, FunctionDef, ModuleDefs, TypeRef } from "./typedefs.js";

/** A flag's value as read from the command line, checked against its type. */
export type RawValue = string | boolean | number | string[];

/** Core functions that may follow the module's function, by the type it returns. */
export const CHAINS: Record<string, Record<string, { flag?: string; does: string }>> = {
  Container: {
    export: { flag: "path", does: "write the image as an OCI tarball to PATH" },
    publish: { flag: "address", does: "push the image to ADDRESS and print the reference with its digest" },
  },
  Directory: {
    export: { flag: "path", does: "write the directory to PATH" },
    entries: { does: "print the names in the directory" },
  },
  File: {
    export: { flag: "path", does: "write the file to PATH" },
    contents: { does: "print the file" },
  },
};

export interface ChainStep {
  name: string;
  value?: string;
}

export interface CallPlan {
  ctorArgs: Record<string, RawValue>;
  fn: FunctionDef;
  args: Record<string, RawValue>;
  chain: ChainStep[];
}

/** What the words ask for: a call, or a help text to print. */
export type Parsed = { call: CallPlan } | { help: string };

/** "extraCa" → "extra-ca", "testMatrix" → "test-matrix": the CLI's names. */
export const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

export function typeName(t: TypeRef): string {
  switch (t.kind) {
    case "STRING_KIND":
      return "string";
    case "BOOLEAN_KIND":
      return "boolean";
    case "INTEGER_KIND":
      return "int";
    case "FLOAT_KIND":
      return "float";
    case "LIST_KIND":
      return `${typeName(t.typeDef!)}s`;
    default:
      return t.name ?? t.kind;
  }
}

const isBool = (a: ArgDef) => a.type.kind === "BOOLEAN_KIND";
const required = (a: ArgDef) => !a.isOptional && !a.isNullable && a.defaultValue === undefined && a.defaultPath === undefined;

function flagsOf(args: Record<string, ArgDef>): Map<string, ArgDef> {
  return new Map(Object.values(args).map((a) => [kebab(a.name), a]));
}

/** Converts one flag value by the argument's type; `where` names the flag in errors. */
export function convert(a: ArgDef, text: string, where: string, exists: (p: string) => boolean = existsSync): RawValue {
  const t = a.type;
  switch (t.kind) {
    case "STRING_KIND":
      return text;
    case "BOOLEAN_KIND":
      if (text !== "true" && text !== "false") throw new UsageError(`${where} takes true or false, got "${text}"`);
      return text === "true";
    case "INTEGER_KIND":
      if (!/^-?\d+$/.test(text)) throw new UsageError(`${where} takes a whole number, got "${text}"`);
      return Number(text);
    case "FLOAT_KIND":
      if (!Number.isFinite(Number(text)) || text.trim() === "") throw new UsageError(`${where} takes a number, got "${text}"`);
      return Number(text);
    case "LIST_KIND":
      if (t.typeDef?.kind !== "STRING_KIND" && t.typeDef?.kind !== "SCALAR_KIND")
        throw new UsageError(`${where}: lists of ${typeName(t.typeDef!)} are not supported here`);
      return text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    case "OBJECT_KIND":
      if (t.name === "File" || t.name === "Directory") {
        const want = t.name === "File" ? "file" : "directory";
        if (!exists(text)) throw new UsageError(`${where} names "${text}", which does not exist (a ${want} on this machine)`);
        const isDir = statSync(text, { throwIfNoEntry: false })?.isDirectory();
        if (isDir !== (t.name === "Directory")) throw new UsageError(`${where} names "${text}", which is not a ${want}`);
        return text;
      }
      if (t.name === "Secret") {
        if (!/^(env|file|cmd):(\/\/)?./.test(text))
          throw new UsageError(`${where} takes a secret as env://NAME, file://PATH or cmd://COMMAND, got "${text.replace(/./g, "*")}"`);
        return text;
      }
      if (t.name === "Container") return text;
      if (t.name === "Service") {
        if (!/^tcp:\/\/[^/:\s]+:\d+$/.test(text)) throw new UsageError(`${where} takes a service on this machine as tcp://HOST:PORT, got "${text}"`);
        return text;
      }
      throw new UsageError(`${where}: arguments of type ${t.name} are not supported here`);
    case "SCALAR_KIND":
    case "ENUM_KIND":
      return text;
    default:
      throw new UsageError(`${where}: arguments of kind ${t.kind} are not supported here`);
  }
}

/** Reads `--flag value`, `--flag=value` and bare boolean flags for one function; stops at the first bare word. */
function readFlags(words: string[], at: number, defs: Map<string, ArgDef>, owner: string, exists: (p: string) => boolean) {
  const values: Record<string, RawValue> = {};
  let i = at;
  while (i < words.length && words[i].startsWith("-")) {
    const word = words[i];
    if (word === "--help" || word === "-h") return { values, next: i, help: true };
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(word);
    const def = m ? defs.get(m[1]) : undefined;
    if (!m || !def) {
      const valid = [...defs.keys()].map((k) => `--${k}`).join(", ") || "none";
      throw new UsageError(`unknown flag "${word.split("=")[0]}" for ${owner}; valid flags: ${valid}`);
    }
    const where = `--${m[1]}`;
    let text = m[2];
    if (text === undefined) {
      if (isBool(def)) text = "true";
      else if (i + 1 < words.length) text = words[++i];
      else throw new UsageError(`${where} needs a value (${typeName(def.type)})`);
    }
    const v = convert(def, text, where, exists);
    const prev = values[def.name];
    values[def.name] = Array.isArray(prev) && Array.isArray(v) ? [...prev, ...v] : v;
    i++;
  }
  return { values, next: i, help: false };
}

function checkRequired(defs: Map<string, ArgDef>, values: Record<string, RawValue>, owner: string): void {
  const missing = [...defs].filter(([, a]) => required(a) && values[a.name] === undefined).map(([k]) => `--${k}`);
  if (missing.length) throw new UsageError(`${owner} needs ${missing.join(", ")} (see: call ${owner.replace(/^function /, "")} --help)`);
}

/** Reads the words after `call`. */
export function parseCall(defs: ModuleDefs, words: string[], exists: (p: string) => boolean = existsSync): Parsed {
  const ctorDefs = flagsOf(defs.main.constructor?.arguments ?? {});
  const fns = new Map(Object.values(defs.main.methods).map((f) => [kebab(f.name), f]));
  const ctor = readFlags(words, 0, ctorDefs, "the module (before the function)", exists);
  if (ctor.help) return { help: moduleHelp(defs) };
  let i = ctor.next;
  if (i >= words.length) throw new UsageError(`name a function; valid functions: ${[...fns.keys()].join(", ")}`);
  const fn = fns.get(words[i]);
  if (!fn) throw new UsageError(`unknown function "${words[i]}"; valid functions: ${[...fns.keys()].join(", ")}`);
  const owner = `function ${kebab(fn.name)}`;
  const fnDefs = flagsOf(fn.arguments);
  const own = readFlags(words, i + 1, fnDefs, owner, exists);
  if (own.help) return { help: functionHelp(fn) };
  checkRequired(fnDefs, own.values, owner);
  i = own.next;

  const chain: ChainStep[] = [];
  let returns = fn.returnType;
  while (i < words.length) {
    const available = CHAINS[returns.name ?? ""];
    const name = words[i];
    if (!available) throw new UsageError(`"${name}" cannot follow ${kebab(fn.name)}: it returns ${typeName(returns)}, which has no chained functions here`);
    const step = available[name];
    if (!step) throw new UsageError(`unknown function "${name}" after ${kebab(fn.name)} (a ${returns.name}); valid: ${Object.keys(available).join(", ")}`);
    const stepDefs = new Map<string, ArgDef>(
      step.flag ? [[step.flag, { name: step.flag, description: "", type: { kind: "STRING_KIND" }, isOptional: false, isNullable: false }]] : [],
    );
    const r = readFlags(words, i + 1, stepDefs, name, exists);
    if (r.help) return { help: `${name}: ${step.does}${step.flag ? ` (--${step.flag} ${step.flag.toUpperCase()}, required)` : ""}` };
    checkRequired(stepDefs, r.values, name);
    chain.push({ name, value: step.flag ? String(r.values[step.flag]) : undefined });
    i = r.next;
    returns = { kind: "STRING_KIND" };
  }
  return { call: { ctorArgs: ctor.values, fn, args: own.values, chain } };
}

/** A doc comment's first sentence, its line breaks joined: the one-line summary of a list. */
export function summary(doc: string): string {
  const paragraph = doc
    .split(/\n\s*\n/)[0]
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return /^.*?\.(?=\s|$)/.exec(paragraph)?.[0] ?? paragraph;
}

function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join("\n");
}

function flagRows(args: Record<string, ArgDef>): [string, string][] {
  return Object.values(args).map((a) => {
    const head = `--${kebab(a.name)}${isBool(a) ? "" : ` ${typeName(a.type)}`}`;
    const notes: string[] = [];
    if (required(a)) notes.push("required");
    if (a.defaultPath !== undefined) notes.push(`default: the checkout's "${a.defaultPath}"${a.ignore?.length ? ` without ${a.ignore.join(", ")}` : ""}`);
    else if (a.defaultValue !== undefined && !(Array.isArray(a.defaultValue) && a.defaultValue.length === 0))
      notes.push(`default ${JSON.stringify(a.defaultValue)}`);
    return [head, `${a.description.replace(/\s*\n\s*/g, " ")}${notes.length ? ` [${notes.join("; ")}]` : ""}`];
  });
}

export function moduleHelp(defs: ModuleDefs): string {
  const fns = Object.values(defs.main.methods).map((f): [string, string] => [kebab(f.name), summary(f.description)]);
  const ctor = flagRows(defs.main.constructor?.arguments ?? {});
  return [
    "Usage: call [module flags] <function> [flags] [<chained function> [flags]]",
    "",
    summary(defs.description),
    "",
    "Functions:",
    table(fns),
    ...(ctor.length ? ["", "Module flags (before the function):", table(ctor)] : []),
    "",
    "A function's flags: call <function> --help. Values: File and Directory flags take a path on this machine,",
    "Secret flags env://NAME, file://PATH or cmd://COMMAND, list flags a,b,c (or the flag repeated).",
  ].join("\n");
}

export function functionHelp(fn: FunctionDef): string {
  const returns = fn.returnType;
  const chains = CHAINS[returns.name ?? ""];
  const rows = flagRows(fn.arguments);
  return [
    `Usage: call ${kebab(fn.name)}${rows.length ? " [flags]" : ""}${chains ? " [<chained function> [flags]]" : ""}`,
    "",
    fn.description,
    ...(rows.length ? ["", "Flags:", table(rows)] : []),
    "",
    `Returns: ${typeName(returns)}`,
    ...(chains
      ? ["Chained functions:", table(Object.entries(chains).map(([n, c]) => [`${n}${c.flag ? ` --${c.flag} ${c.flag.toUpperCase()}` : ""}`, c.does]))]
      : []),
  ].join("\n");
}
