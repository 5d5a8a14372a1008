// Stands in for the SDK introspector's scan() in a function call (scan-hook.mjs sends the SDK
// entrypoint's import of it here): the snapshot save-scan made of these same files when the
// runtime container was built; without a usable one, the SDK's own scan, after a line saying why.
import { existsSync, readFileSync } from "node:fs";
import { SDK_DIST, SNAPSHOT_PATH, introspectionClasses, unpack } from "./scan-snapshot.mjs";

const sdk = (path) => import(new URL(path, SDK_DIST).href);

/** Why the snapshot cannot stand for a scan of these files under this name, or undefined. */
function unusable(snapshot, files, moduleName) {
  if (snapshot === undefined) return `${SNAPSHOT_PATH} is missing`;
  if (snapshot.error) return `the runtime's scan failed (${snapshot.error})`;
  if (snapshot.moduleName !== moduleName) return `it was made for module "${snapshot.moduleName}", not "${moduleName}"`;
  if (JSON.stringify(snapshot.files) !== JSON.stringify(files)) return "it was made of other files";
  return undefined;
}

export async function scan(files, moduleName = "", loadModule = true) {
  const snapshot = existsSync(SNAPSHOT_PATH) ? JSON.parse(readFileSync(SNAPSHOT_PATH, "utf8")) : undefined;
  const why = unusable(snapshot, files, moduleName);
  if (why !== undefined) {
    console.error(`[ts-sdk] no scan snapshot to use: ${why}; scanning src/ with the TypeScript compiler`);
    return (await sdk("module/introspector/index.js")).scan(files, moduleName, loadModule);
  }
  const module = unpack(snapshot.module, await introspectionClasses());
  // As the SDK's scan does: the module's code is loaded, and its decorators fill the registry.
  module.userModule = loadModule ? await (await sdk("module/entrypoint/load.js")).load(files) : [];
  return module;
}
