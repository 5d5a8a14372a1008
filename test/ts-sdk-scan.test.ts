// The local engine's TypeScript runtime reads a function call's scan of the module from a
// snapshot made when the runtime was built (local-engine/ts-sdk: save-scan.mjs, cached-scan.mjs,
// scan-hook.mjs). Here, without an engine: the snapshot of ci/src read back is the SDK's own scan,
// the hook sends exactly the SDK entrypoint's import of scan() to it, and a snapshot that does not
// fit the call is refused with a line and the SDK's scan is made instead.
import test from "ava";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { projectRoot } from "./helpers/project.js";

const dir = mkdtempSync(join(tmpdir(), "s2i-ts-sdk-scan-"));
const snapshotPath = join(dir, "scan.json");
const declarations = join(dir, "client.gen.ts");
copyFileSync(join(projectRoot, "node_modules/@dagger.io/dagger/dist/src/api/client.gen.d.ts"), declarations);
process.env.TS_SDK_SCAN_SNAPSHOT = snapshotPath;
process.env.TS_SDK_CLIENT_DECLARATIONS = declarations;

const sdkDir = join(projectRoot, "local-engine/ts-sdk");
const snap = await import(pathToFileURL(join(sdkDir, "scan-snapshot.mjs")).href);
const { scan: cachedScan } = await import(pathToFileURL(join(sdkDir, "cached-scan.mjs")).href);
const { resolve: hook } = await import(pathToFileURL(join(sdkDir, "scan-hook.mjs")).href);
const { resolve: lazyHook } = await import(pathToFileURL(join(sdkDir, "lazy-compiler-hook.mjs")).href);
const { scan: sdkScan } = await import(new URL("module/introspector/index.js", snap.SDK_DIST).href);

const NAME = "s2i-python";
const files: string[] = [...snap.moduleFiles(join(projectRoot, "ci")), declarations];
const classes = await snap.introspectionClasses();
const scanned = await sdkScan(files, NAME, false);
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
const COMPILER_FIELDS = ["ast", "node", "__node", "symbol", "signature", "file", "checker", "userModule"];

/** Where two scan results differ (class, or a field other than the compiler's), or undefined. */
function difference(a: unknown, b: unknown, path = "module"): string | undefined {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return isDeepStrictEqual(a, b) ? undefined : path;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: another class`;
  const keys = (o: object) => Object.keys(o).filter((k) => !COMPILER_FIELDS.includes(k) && (o as Record<string, unknown>)[k] !== undefined);
  if (!isDeepStrictEqual(keys(a).sort(), keys(b).sort())) return `${path}: other fields`;
  for (const k of keys(a)) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

function writeSnapshot(over: Record<string, unknown> = {}): void {
  writeFileSync(snapshotPath, JSON.stringify({ moduleName: NAME, files, module: snap.pack(scanned, classes), ...over }));
}

/** cachedScan with what it printed. */
async function scanWithLines(name = NAME): Promise<{ module: unknown; lines: string[] }> {
  const lines: string[] = [];
  const error = console.error;
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    return { module: await cachedScan(files, name, false), lines };
  } finally {
    console.error = error;
  }
}

test("the snapshot of ci/src, written as JSON and read back, is the SDK's scan: every object of the same class, every field the same", (t) => {
  const back = snap.unpack(JSON.parse(JSON.stringify(snap.pack(scanned, classes))), classes);
  t.is(difference(scanned, back), undefined);
  // What registration sends the engine, and what a call looks arguments up by.
  t.is(JSON.stringify(back), JSON.stringify(scanned));
  t.deepEqual(back.objects.S2iPython.methods.test.getArgsOrder(), scanned.objects.S2iPython.methods.test.getArgsOrder());
  // The comparison finds a difference where there is one.
  back.objects.S2iPython.methods.test.arguments.version.isOptional = !back.objects.S2iPython.methods.test.arguments.version.isOptional;
  t.is(difference(scanned, back), "module.objects.S2iPython.methods.test.arguments.version.isOptional");
});

test("a value of no introspection class cannot be kept: the snapshot would not be the same module", (t) => {
  t.throws(() => snap.pack({ objects: { A: new Map() } }, classes), {
    message: /^module\.objects\.A: a Map object is not one of the SDK's introspection classes$/,
  });
  t.throws(() => snap.pack({ f: () => 1 }, classes), { message: /^module\.f: a function cannot be kept/ });
});

test("the hook sends only the SDK entrypoint's import of scan() to the snapshot", async (t) => {
  const entrypoint = new URL("module/entrypoint/entrypoint.js", snap.SDK_DIST);
  // The SDK's function-call entrypoint still takes scan() from that import.
  t.regex(readFileSync(entrypoint, "utf8"), /^import \{ scan \} from "\.\.\/introspector\/index\.js";$/m);
  const next = async (s: string) => ({ url: `next:${s}` });
  t.is((await hook("../introspector/index.js", { parentURL: entrypoint.href }, next)).url, pathToFileURL(join(sdkDir, "cached-scan.mjs")).href);
  const register = new URL("module/entrypoint/introspection_entrypoint.js", snap.SDK_DIST).href;
  t.is((await hook("../introspector/index.js", { parentURL: register }, next)).url, "next:../introspector/index.js");
  t.is((await hook("./invoke.js", { parentURL: entrypoint.href }, next)).url, "next:./invoke.js");
});

test.serial("a call reads the snapshot when it was made of its files under its name, silently", async (t) => {
  writeSnapshot();
  const { module, lines } = await scanWithLines();
  t.deepEqual(lines, []);
  t.is(difference(scanned, module), undefined);
});

for (const [what, over, name, line] of [
  ["missing", undefined, NAME, /is missing/],
  ["of a failed scan", { error: "no files to introspect found" }, NAME, /the runtime's scan failed \(no files to introspect found\)/],
  ["of another module", {}, "other", /made for module "s2i-python", not "other"/],
  ["of other files", { files: files.slice(1) }, NAME, /made of other files/],
] as const) {
  test.serial(`a snapshot ${what} is not used: one line says why, and the SDK scans`, async (t) => {
    if (over === undefined) rmSync(snapshotPath, { force: true });
    else writeSnapshot(over);
    const { module, lines } = await scanWithLines(name);
    t.is(lines.length, 1);
    t.regex(lines[0], line);
    t.regex(lines[0], /^\[ts-sdk\] no scan snapshot to use: .*; scanning src\/ with the TypeScript compiler$/);
    t.is((module as { name: string }).name, name === NAME ? scanned.name : "Other");
  });
}

// The TypeScript compiler is loaded only when used (lazy-compiler-hook.mjs, lazy-typescript.mjs):
// a call that reads the snapshot never loads it, and a scan without one gets the real compiler.
const lazyUrl = pathToFileURL(join(sdkDir, "lazy-typescript.mjs")).href;
const sdkFile = (path: string) => new URL(`module/${path}`, snap.SDK_DIST).href;

test("the lazy hook sends only the SDK's module/ imports of the compiler and of its declarations table", async (t) => {
  const next = async (s: string) => ({ url: `next:${s}` });
  t.is((await lazyHook("typescript", { parentURL: sdkFile("introspector/dagger_module/module.js") }, next)).url, lazyUrl);
  t.is((await lazyHook("./declarations.js", { parentURL: sdkFile("introspector/typescript_module/ast.js") }, next)).url, lazyUrl);
  t.is((await lazyHook("typescript", { parentURL: pathToFileURL(join(projectRoot, "ci/src/index.ts")).href }, next)).url, "next:typescript");
  t.is((await lazyHook("./declarations.js", { parentURL: pathToFileURL(join(projectRoot, "ci/src/index.ts")).href }, next)).url, "next:./declarations.js");
  // The SDK still imports them so.
  t.regex(readFileSync(new URL(sdkFile("introspector/typescript_module/ast.js")), "utf8"), /^import \{ isDeclarationOf \} from "\.\/declarations\.js";$/m);
});

test("the lazy compiler is the SDK's compiler, and its declarations table is the SDK's", async (t) => {
  const lazy = await import(lazyUrl);
  const ts = createRequire(sdkFile("index.js"))("typescript");
  t.is(lazy.default.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassDeclaration);
  t.is(lazy.default.createSourceFile, ts.createSourceFile);
  t.true("ScriptTarget" in lazy.default);
  const { isDeclarationOf } = await import(sdkFile("introspector/typescript_module/declarations.js"));
  const kinds = Object.keys(isDeclarationOf);
  t.deepEqual(lazy.DECLARATION_KINDS.map((k: string) => String(ts.SyntaxKind[`${k}Declaration`])).sort(), [...kinds].sort());
  for (const k of kinds) t.is(lazy.isDeclarationOf[k], isDeclarationOf[k], `kind ${k}`);
});

/** Runs `code` in a node of its own (ESM, from the checkout), the runtime's hooks registered first or not; its stdout. */
function inNode(code: string, withHooks: boolean): string {
  const hooks = ["scan-hook.mjs", "lazy-compiler-hook.mjs"].map((h) => `register(${JSON.stringify(pathToFileURL(join(sdkDir, h)).href)});`).join(" ");
  const register = withHooks ? `import { register } from "node:module"; ${hooks}` : "";
  return execFileSync(process.execPath, ["--no-deprecation", "--input-type=module", "-e", `${register}\n${code}`], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, TS_SDK_SCAN_SNAPSHOT: snapshotPath, TS_SDK_CLIENT_DECLARATIONS: declarations },
  });
}

const COMPILER_LOADED = `import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.endsWith("/typescript/lib/typescript.js"));`;

test("with the hooks, the SDK and its introspection classes load without the compiler; without them, with it", (t) => {
  const code = `${COMPILER_LOADED}
await import("@dagger.io/dagger");
await (await import(${JSON.stringify(pathToFileURL(join(sdkDir, "scan-snapshot.mjs")).href)})).introspectionClasses();
console.log(loaded());`;
  t.is(inNode(code, true).trim(), "false");
  t.is(inNode(code, false).trim(), "true");
});

test("with the hooks, the SDK's own scan (no usable snapshot) is the same as without them", (t) => {
  const code = `const snap = await import(${JSON.stringify(pathToFileURL(join(sdkDir, "scan-snapshot.mjs")).href)});
const { scan } = await import(new URL("module/introspector/index.js", snap.SDK_DIST).href);
console.log(JSON.stringify(await scan(${JSON.stringify(files)}, ${JSON.stringify(NAME)}, false)));`;
  const hooked = inNode(code, true);
  t.is(hooked, inNode(code, false));
  t.is(hooked.trim(), JSON.stringify(scanned));
});
