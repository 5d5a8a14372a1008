/**
 * The shape of a module's typedefs as the `dagger call` stand-in reads them (parse.ts), and
 * the conversion from what the engine serves for a loaded module (`currentTypeDefs`).
 */

export interface TypeRef {
  kind: string;
  /** Object, scalar and enum names (Directory, File, Secret, Container, Platform, ...). */
  name?: string;
  /** The element type of a list. */
  typeDef?: TypeRef;
}

export interface ArgDef {
  name: string;
  description: string;
  type: TypeRef;
  isOptional: boolean;
  isNullable: boolean;
  defaultValue?: unknown;
  defaultPath?: string;
  ignore?: string[];
}

export interface FunctionDef {
  name: string;
  description: string;
  arguments: Record<string, ArgDef>;
  returnType: TypeRef;
}

export interface ObjectDef {
  name: string;
  description: string;
  constructor?: { arguments: Record<string, ArgDef> };
  methods: Record<string, FunctionDef>;
}

export interface ModuleDefs {
  /** dagger.json "name". */
  module: string;
  description: string;
  /** The module's main object: the class `dagger call` starts from. */
  main: ObjectDef;
}

/** The selection of `currentTypeDefs` that the stand-in needs (what the Dagger CLI reads too). */
const TYPE_REF =
  "kind name optional asObject { name } asScalar { name } asEnum { name } asList { elementTypeDef { kind name asObject { name } asScalar { name } } }";
const FUNCTION = `name description returnType { ${TYPE_REF} } args { name description defaultValue defaultPath ignore typeDef { ${TYPE_REF} } }`;
export const TYPEDEFS_QUERY = `{ currentTypeDefs(returnAllTypes: true, hideCore: true) { name kind asObject { name description functions { ${FUNCTION} } } } }`;

interface EngineTypeRef {
  kind: string;
  name?: string | null;
  optional?: boolean;
  asObject?: { name: string } | null;
  asScalar?: { name: string } | null;
  asEnum?: { name: string } | null;
  asList?: { elementTypeDef: EngineTypeRef } | null;
}
interface EngineFunction {
  name: string;
  description: string;
  returnType: EngineTypeRef;
  args: { name: string; description: string; defaultValue: string | null; defaultPath: string; ignore: string[]; typeDef: EngineTypeRef }[];
}
export interface EngineTypeDefs {
  currentTypeDefs: { name: string; kind: string; asObject?: { name: string; description: string; functions: EngineFunction[] } | null }[];
}

function typeRef(t: EngineTypeRef): TypeRef {
  const name = t.asObject?.name ?? t.asScalar?.name ?? t.asEnum?.name;
  return { kind: t.kind, ...(name ? { name } : {}), ...(t.asList ? { typeDef: typeRef(t.asList.elementTypeDef) } : {}) };
}

/** Doc comments come with the blank lines that framed them in the source. */
const text = (s: string | null | undefined) => (s ?? "").trim();

function functionDef(f: EngineFunction): FunctionDef {
  const args: Record<string, ArgDef> = {};
  for (const a of f.args) {
    args[a.name] = {
      name: a.name,
      description: text(a.description),
      type: typeRef(a.typeDef),
      isOptional: a.typeDef.optional === true,
      isNullable: false,
      ...(a.defaultValue !== null && a.defaultValue !== undefined ? { defaultValue: JSON.parse(a.defaultValue) as unknown } : {}),
      ...(a.defaultPath ? { defaultPath: a.defaultPath } : {}),
      ...(a.ignore?.length ? { ignore: a.ignore } : {}),
    };
  }
  return { name: f.name, description: text(f.description), arguments: args, returnType: typeRef(f.returnType) };
}

/**
 * The module as `dagger call` sees it once the engine serves it as the entrypoint: its main
 * object's functions promoted onto Query, and `with` taking the constructor's arguments.
 */
export function defsFromEngine(served: EngineTypeDefs, module: string, description: string): ModuleDefs {
  const query = served.currentTypeDefs.find((t) => t.name === "Query")?.asObject;
  if (!query) throw new Error("the engine served no Query type for the loaded module");
  const methods: Record<string, FunctionDef> = {};
  let constructor: ObjectDef["constructor"];
  for (const f of query.functions) {
    if (f.name === "with") constructor = { arguments: functionDef(f).arguments };
    else methods[f.name] = functionDef(f);
  }
  return { module, description: text(description), main: { name: module, description: text(description), constructor, methods } };
}
