// A module resolution hook, registered by entrypoint.mjs and by the stand-in (local-engine/dagger.ts):
// the SDK's module/ files get the TypeScript compiler, and the one table of theirs that uses it
// as it loads, through lazy-typescript.mjs, which loads the compiler only when a scan needs it.
const LAZY = new URL("./lazy-typescript.mjs", import.meta.url).href;
const SDK_MODULE = "/@dagger.io/dagger/dist/src/module/";

export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? "";
  if (specifier === "typescript" && parent.includes(SDK_MODULE)) return { url: LAZY, shortCircuit: true };
  if (specifier === "./declarations.js" && parent.includes(`${SDK_MODULE}introspector/typescript_module/`)) return { url: LAZY, shortCircuit: true };
  return next(specifier, context);
}
