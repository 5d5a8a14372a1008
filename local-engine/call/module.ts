/**
 * Loads the workspace's module on the engine as `dagger call` does: the engine uploads the
 * module's source (dagger.json, its "source" folder, filtered as the engine filters it),
 * runs the SDK's runtime to register the module's types, and serves its main object's
 * functions on the Query root (entrypoint). Then reads the typedefs the engine serves.
 */
import type { GraphQLClient } from "graphql-request";
import { defsFromEngine, TYPEDEFS_QUERY, type EngineTypeDefs, type ModuleDefs } from "./typedefs.js";

/** The module did not load: a compile error, a function the SDK cannot register, a runtime failure. */
export class ModuleLoadError extends Error {
  override name = "ModuleLoadError";
}

interface GqlError {
  message: string;
  extensions?: { stderr?: string; stdout?: string };
}

/** The engine's first error, with the tail of what the runtime printed when it says so. */
export function engineMessage(e: unknown): string {
  const errors = (e as { response?: { errors?: GqlError[] } }).response?.errors;
  if (!errors?.length) return e instanceof Error ? e.message : String(e);
  const first = errors[0];
  const message = first.message.replace(/ \[traceparent:[0-9a-f-]+\]/g, "");
  // What the runtime printed, without stack frames: the error itself is what a reader needs.
  const output = [first.extensions?.stderr, first.extensions?.stdout].filter(Boolean).join("\n").trim();
  const lines = output.split("\n").filter((l) => l.trim() && !/^\s+at /.test(l));
  return lines.length
    ? `${message}\n${lines
        .slice(-12)
        .map((l) => `  | ${l}`)
        .join("\n")}`
    : message;
}

export async function loadModule(gql: GraphQLClient, root: string): Promise<ModuleDefs> {
  const ref = JSON.stringify(root);
  let loaded: { moduleSource: { asModule: { name: string; description: string | null } } };
  try {
    loaded = await gql.request(`{ moduleSource(refString: ${ref}) { asModule { name description } } }`);
    await gql.request(`{ moduleSource(refString: ${ref}) { asModule { serve(includeDependencies: true, entrypoint: true) } } }`);
  } catch (e) {
    throw new ModuleLoadError(`the engine could not load the module at ${root}: ${engineMessage(e)}`);
  }
  const { name, description } = loaded.moduleSource.asModule;
  return defsFromEngine(await gql.request<EngineTypeDefs>(TYPEDEFS_QUERY), name, description ?? "");
}
