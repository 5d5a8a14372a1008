// What the SDK's introspector reads from a module (its scan() result: objects, functions,
// arguments and their type definitions) kept as JSON, so a function call can read it instead of
// compiling src/ with the TypeScript compiler again (about 1.3 s of every call quiet, more under load).
// The snapshot is made by the SDK's own scan() when the runtime container is built (save-scan)
// and read back by cached-scan.mjs; everything here is the format between the two.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Where the runtime container keeps the snapshot of its module. */
export const SNAPSHOT_PATH = process.env.TS_SDK_SCAN_SNAPSHOT ?? "/var/lib/ts-sdk/scan.json";

/** The SDK's client declarations, which the introspector reads to tell core types apart. */
export const CLIENT_DECLARATIONS = process.env.TS_SDK_CLIENT_DECLARATIONS ?? "/opt/ts-sdk/client.gen.ts";

/** The @dagger.io/dagger files the module's own code uses: one copy, one registry. */
export const SDK_DIST = new URL("./", import.meta.resolve("@dagger.io/dagger"));

/** The files a function call hands to the SDK: every TypeScript file under src/, sorted. */
export function moduleFiles(moduleDir) {
  const src = join(moduleDir, "src");
  return readdirSync(src, { recursive: true })
    .filter((f) => /\.m?ts$/.test(f) && !f.endsWith(".d.ts"))
    .map((f) => join(src, f))
    .sort();
}

// Fields that hold the compiler's view (syntax nodes, symbols, the program): used while the
// scan resolves types, never when a call is invoked.
const COMPILER_FIELDS = new Set(["ast", "node", "__node", "symbol", "signature", "file", "checker", "userModule"]);

/** The SDK's introspection classes by name (DaggerModule, DaggerObject, DaggerFunction, ...). */
export async function introspectionClasses() {
  const dir = new URL("module/introspector/dagger_module/", SDK_DIST);
  const classes = new Map();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    for (const v of Object.values(await import(new URL(f, dir).href))) {
      if (typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v))) classes.set(v.name, v);
    }
  }
  return classes;
}

/**
 * The scan result as JSON-ready data: plain objects and arrays as they are, an instance of an
 * introspection class as { $class, fields } without its compiler fields. Anything else (a Map,
 * a function, an unknown class) throws: the snapshot would not be the same module.
 */
export function pack(value, classes, path = "module") {
  if (value === null || value === undefined || ["string", "number", "boolean"].includes(typeof value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => pack(v, classes, `${path}[${i}]`));
  if (typeof value !== "object") throw new Error(`${path}: a ${typeof value} cannot be kept in a snapshot`);
  const proto = Object.getPrototypeOf(value);
  const fields = {};
  if (proto === Object.prototype || proto === null) {
    for (const [k, v] of Object.entries(value)) fields[k] = pack(v, classes, `${path}.${k}`);
    return { fields };
  }
  const name = value.constructor?.name;
  if (classes.get(name) !== value.constructor) throw new Error(`${path}: a ${name ?? "nameless"} object is not one of the SDK's introspection classes`);
  for (const [k, v] of Object.entries(value)) if (!COMPILER_FIELDS.has(k)) fields[k] = pack(v, classes, `${path}.${k}`);
  return { $class: name, fields };
}

/** The scan result again, each object an instance of its class (for instanceof and methods). */
export function unpack(data, classes) {
  if (data === null || data === undefined || typeof data !== "object") return data;
  if (Array.isArray(data)) return data.map((d) => unpack(d, classes));
  let out = {};
  if (data.$class !== undefined) {
    const cls = classes.get(data.$class);
    if (!cls) throw new Error(`the snapshot names a class this SDK does not have: ${data.$class}`);
    out = Object.create(cls.prototype);
  }
  for (const [k, v] of Object.entries(data.fields)) out[k] = unpack(v, classes);
  return out;
}
