// Run once per module source, when the engine builds the runtime container: the SDK's own scan()
// of src/, the one every function call would otherwise make, kept as a snapshot for the calls.
// It never fails the build: when the scan cannot read the module, the snapshot says why, and each
// call then scans for itself and fails (or not) exactly as it would without a snapshot.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CLIENT_DECLARATIONS, SDK_DIST, SNAPSHOT_PATH, introspectionClasses, moduleFiles, pack } from "./scan-snapshot.mjs";

const moduleName = process.env.TS_SDK_MODULE_NAME ?? "";
let snapshot;
try {
  const files = [...moduleFiles(process.env.TS_SDK_MODULE_DIR), CLIENT_DECLARATIONS];
  const { scan } = await import(new URL("module/introspector/index.js", SDK_DIST).href);
  // Without loading the module's code: the scan reads it with the compiler only, and a call
  // loads the code itself.
  const module = await scan(files, moduleName, false);
  snapshot = { moduleName, files, module: pack(module, await introspectionClasses()) };
} catch (e) {
  snapshot = { error: String(e instanceof Error ? e.message : e).split("\n")[0] };
}
mkdirSync(dirname(SNAPSHOT_PATH), { recursive: true });
writeFileSync(SNAPSHOT_PATH, JSON.stringify(snapshot));
console.error(snapshot.error ? `no scan snapshot: ${snapshot.error}` : `scan snapshot of ${snapshot.files.length - 1} files written`);
