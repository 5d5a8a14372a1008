// A module resolution hook, registered by entrypoint.mjs: the SDK's function-call entrypoint
// imports its introspector's scan() from ../introspector/index.js; that one import gets
// cached-scan.mjs instead. Every other import resolves as usual.
const CACHED_SCAN = new URL("./cached-scan.mjs", import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === "../introspector/index.js" && context.parentURL?.endsWith("/@dagger.io/dagger/dist/src/module/entrypoint/entrypoint.js")) {
    return { url: CACHED_SCAN, shortCircuit: true };
  }
  return next(specifier, context);
}
