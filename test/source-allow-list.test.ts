// The module's `source` argument is an allow-list (index.ts, @argument ignore): it uploads the
// files a function reads and nothing else. The list is read from index.ts itself and applied to
// the checkout's files with the engine's semantics (helpers/ignore-patterns.ts).
import test from "ava";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";
import { LAYOUT_FILE } from "../ci/src/render/layout.js";
import { SPEC_FILES } from "../ci/src/spec/load-spec.js";
import { APPS_FILE } from "../ci/src/spec/sample-apps.js";
import { isIgnored } from "./helpers/ignore-patterns.js";
import { project, projectRoot } from "./helpers/project.js";

/** The `ignore` of the constructor's `source` argument, as index.ts writes it. */
function sourceIgnore(): string[] {
  const file = join(projectRoot, "ci/src/index.ts");
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  let found: string[] | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isConstructorDeclaration(node)) {
      const param = node.parameters.find((p) => p.name.getText() === "source");
      for (const d of param ? (ts.getDecorators(param) ?? []) : []) {
        const arg = ts.isCallExpression(d.expression) ? d.expression.arguments[0] : undefined;
        const ignore = arg && ts.isObjectLiteralExpression(arg) ? arg.properties.find((p) => p.name?.getText() === "ignore") : undefined;
        if (ignore && ts.isPropertyAssignment(ignore) && ts.isArrayLiteralExpression(ignore.initializer)) {
          found = ignore.initializer.elements.map((e) => (ts.isStringLiteral(e) ? e.text : `<not a string: ${e.getText()}>`));
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!found) throw new Error("ci/src/index.ts: the constructor's source argument has no ignore list");
  return found;
}

/** Every file of the checkout, "/"-separated, relative to it (node_modules and .git too). */
const checkout = readdirSync(projectRoot, { recursive: true, withFileTypes: true })
  .filter((e) => !e.isDirectory())
  .map((e) => relative(projectRoot, join(e.parentPath, e.name)).split(sep).join("/"));

test("the ignore semantics: the last matching pattern decides, a folder pattern covers its files, ! keeps", (t) => {
  const files = ["main.go", "go.mod", "internal/foo/bar.go", "internal/foo/baz.go", "internal/x.txt"];
  const kept = (patterns: string[]) => files.filter((f) => !isIgnored(patterns, f));
  t.deepEqual(kept(["**"]), []);
  t.deepEqual(kept(["**", "!**"]), files);
  t.deepEqual(kept(["**", "!main.go"]), ["main.go"]);
  t.deepEqual(kept(["!main.go"]), files);
  t.deepEqual(kept(["**/*.go", "!main.go"]), ["main.go", "go.mod", "internal/x.txt"]);
  t.deepEqual(kept(["internal"]), ["main.go", "go.mod"]);
  t.deepEqual(kept(["internal/foo", "!internal/foo/bar.go"]), ["main.go", "go.mod", "internal/foo/bar.go", "internal/x.txt"]);
  t.deepEqual(kept(["*", "!internal", "internal/*", "!internal/foo"]), ["internal/foo/bar.go", "internal/foo/baz.go"]);
});

test("the module's source keeps exactly the files its functions read: specs, templates, the sample apps", async (t) => {
  const { apps } = await project();
  const ignore = sourceIgnore();
  const kept = checkout.filter((f) => !isIgnored(ignore, f)).sort();
  // What the functions read: the spec files, every template (the renderer lists templates/),
  // and each sample app's folder (and its package folder, for the app that installs one).
  const appDirs = apps.flatMap((a) => [a.dir, `${a.dir}-pkg`]).filter((d) => existsSync(join(projectRoot, d)));
  const read = checkout
    .filter(
      (f) => [...Object.values(SPEC_FILES), APPS_FILE, LAYOUT_FILE].includes(f) || f.startsWith("templates/") || appDirs.some((d) => f.startsWith(`${d}/`)),
    )
    .sort();
  t.true(read.length > 50, `${read.length} files read`);
  t.deepEqual(kept, read);
});

test("what the module never reads stays out: node_modules, .git, local-engine, the tests, the committed version folders", (t) => {
  const ignore = sourceIgnore();
  const groups: [string, (f: string) => boolean][] = [
    ["node_modules/", (f) => f.startsWith("node_modules/")],
    ["local-engine/", (f) => f.startsWith("local-engine/")],
    ["test/*.test.ts", (f) => /^test\/[^/]+\.test\.ts$/.test(f)],
    ["test/helpers/", (f) => f.startsWith("test/helpers/")],
    ["ci/", (f) => f.startsWith("ci/")],
    ["the version folders (3.12/Dockerfile.c9s, ...)", (f) => /^\d+\.\d+(-minimal)?\//.test(f)],
    ["README.md, package.json", (f) => f === "README.md" || f === "package.json"],
  ];
  for (const [name, inGroup] of groups) {
    const files = checkout.filter(inGroup);
    t.true(files.length > 0, `the checkout has ${name} to leave out`);
    t.deepEqual(
      files.filter((f) => !isIgnored(ignore, f)),
      [],
      `${name} is not uploaded`,
    );
  }
  t.true(isIgnored(ignore, ".git/HEAD") && isIgnored(ignore, ".git"), ".git is not uploaded");
});
