// The module runtime's entrypoint (run-module starts it with tsx): hands every
// TypeScript file under src/ (and the SDK's client declarations, which the introspector uses to
// tell core types) to the @dagger.io/dagger package's module entrypoint. That entrypoint asks the
// engine what it wants: the module's types (registration) or one function's result.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { entrypoint } from "@dagger.io/dagger";

const src = join(process.env.TS_SDK_MODULE_DIR, "src");
const files = readdirSync(src, { recursive: true })
  .filter((f) => /\.m?ts$/.test(f) && !f.endsWith(".d.ts"))
  .map((f) => join(src, f))
  .sort();
if (files.length === 0) {
  console.error(`no TypeScript files under ${src}: a TypeScript module keeps its code in src/`);
  process.exit(1);
}
await entrypoint([...files, "/opt/ts-sdk/client.gen.ts"]);
