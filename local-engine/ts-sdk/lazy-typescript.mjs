// What the SDK's module/ files get in place of the TypeScript compiler in a function call
// (lazy-compiler-hook.mjs sends them here): the compiler, loaded on first use. A call that reads
// the scan snapshot never uses it, and loading it is about 0.45 CPU-s of every call's start
// (docs/benchmarks.md); a call without a usable snapshot scans with the real compiler, loaded then.
import { createRequire } from "node:module";
import { SDK_DIST } from "./scan-snapshot.mjs";

// Resolved from the SDK's own files: the compiler the SDK would have imported.
const requireFromSdk = createRequire(new URL("module/index.js", SDK_DIST));
let loaded;
/** The real compiler, loaded at the first call. */
export const compiler = () => (loaded ??= requireFromSdk("typescript"));

export default new Proxy(
  {},
  {
    get: (_, key) => compiler()[key],
    has: (_, key) => key in compiler(),
    ownKeys: () => Reflect.ownKeys(compiler()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(compiler(), key);
      return d && { ...d, configurable: true };
    },
  },
);

/**
 * The SDK's typescript_module/declarations.js builds, as it loads, a table from a declaration's
 * syntax kind to the compiler's test for it, which would load the compiler at once. The same
 * table, made on first use (test/ts-sdk-scan.test.ts holds it equal to the SDK's).
 */
export const DECLARATION_KINDS = ["Class", "Method", "Property", "Function", "Enum", "Interface", "TypeAlias"];
let table;
export const isDeclarationOf = new Proxy(
  {},
  {
    get: (_, kind) => {
      const ts = compiler();
      table ??= Object.fromEntries(DECLARATION_KINDS.map((k) => [ts.SyntaxKind[`${k}Declaration`], ts[`is${k}Declaration`]]));
      return table[kind];
    },
  },
);
