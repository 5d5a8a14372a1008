/**
 * The module's typedefs as the TypeScript SDK's own introspector reads them from the source
 * directory (dagger.json "source"), without an engine: what the SDK registers when the engine
 * loads the module. The unit tests of the `dagger call` stand-in read words against these;
 * an engine-backed test holds them equal to what the engine serves. Cached by the contents of
 * the source files and the SDK version.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

import type { ModuleDefs, ObjectDef } from "../../local-engine/call/typedefs.js";

const SDK_DIR = "node_modules/@dagger.io/dagger";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.m?ts$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Letters and digits only, lower case: "s2i-python" and "S2iPython" compare equal. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Reads (or introspects and caches) the module's typedefs. */
export async function introspectedTypedefs(root: string): Promise<ModuleDefs> {
  const config = JSON.parse(readFileSync(join(root, "dagger.json"), "utf8")) as { name: string; source?: string };
  const sourceDir = join(root, config.source ?? ".");
  const sdkVersion = (JSON.parse(readFileSync(join(root, SDK_DIR, "package.json"), "utf8")) as { version: string }).version;
  const files = tsFiles(join(sourceDir, "src"));
  const hash = createHash("sha256").update(`${sdkVersion}\n${config.name}\n`);
  for (const f of files) hash.update(`${relative(root, f)}\n`).update(readFileSync(f));
  const cacheDir = join(root, "node_modules/.cache/s2i-python");
  const cached = join(cacheDir, `typedefs-${hash.digest("hex").slice(0, 16)}.json`);

  let scanned: { description?: string; objects: Record<string, ObjectDef> };
  if (existsSync(cached)) {
    scanned = JSON.parse(readFileSync(cached, "utf8"));
  } else {
    mkdirSync(cacheDir, { recursive: true });
    // The introspector recognises the generated client by its file name (client.gen.ts).
    const client = join(cacheDir, "client.gen.ts");
    if (!existsSync(client)) writeFileSync(client, readFileSync(join(root, SDK_DIR, "dist/src/api/client.gen.d.ts")));
    const { scan } = (await import(pathToFileURL(join(root, SDK_DIR, "dist/src/module/introspector/index.js")).href)) as {
      scan: (files: string[], moduleName: string, loadModule: boolean) => Promise<unknown>;
    };
    scanned = JSON.parse(JSON.stringify(await scan([...files, client], config.name, false)));
    writeFileSync(cached, JSON.stringify(scanned));
  }
  const main = Object.values(scanned.objects).find((o) => squash(o.name) === squash(config.name));
  if (!main) throw new Error(`dagger.json names the module "${config.name}", but ${relative(root, sourceDir)}/src has no @object() class of that name`);
  return { module: config.name, description: scanned.description ?? "", main };
}
