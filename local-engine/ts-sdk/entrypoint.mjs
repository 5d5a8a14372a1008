// The module runtime's entrypoint (run-module starts it with tsx): hands every
// TypeScript file under src/ (and the SDK's client declarations, which the introspector uses to
// tell core types) to the @dagger.io/dagger package's module entrypoint. That entrypoint asks the
// engine what it wants: the module's types (registration) or one function's result. Its scan of
// the files is read from the snapshot the runtime made of them (scan-hook.mjs, cached-scan.mjs), so
// the TypeScript compiler is loaded only if a scan is needed after all (lazy-compiler-hook.mjs).
import { register } from "node:module";
import { CLIENT_DECLARATIONS, moduleFiles } from "./scan-snapshot.mjs";

register("./scan-hook.mjs", import.meta.url);
register("./lazy-compiler-hook.mjs", import.meta.url);
const { entrypoint } = await import("@dagger.io/dagger");

const files = moduleFiles(process.env.TS_SDK_MODULE_DIR);
if (files.length === 0) {
  console.error(`no TypeScript files under ${process.env.TS_SDK_MODULE_DIR}/src: a TypeScript module keeps its code in src/`);
  process.exit(1);
}
await entrypoint([...files, CLIENT_DECLARATIONS]);
