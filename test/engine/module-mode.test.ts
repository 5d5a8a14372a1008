// `npm run dagger -- call` is module mode: the engine loads this repository as a module through
// its TypeScript SDK (the local engine's builtin content), serves its typedefs, and runs the
// functions in the module's runtime container. A fault of the module itself shows as the
// engine's error, and the typedefs the engine serves are what the SDK's introspector reads.
import test from "ava";
import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModule } from "../../local-engine/call/module.js";
import { kebab } from "../../local-engine/call/parse.js";
import type { ArgDef, ModuleDefs } from "../../local-engine/call/typedefs.js";
import { renderedDockerfile } from "../../ci/src/publish/build-record.js";
import { selectOne } from "../../ci/src/spec/select.js";
import { daggerCall, explainCall, HOST_CA, notPassed, readReport, resultLine } from "../helpers/dagger-call.js";
import { containersStartedSince, logTime } from "../helpers/engine-log.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { introspectedTypedefs } from "../helpers/introspected-typedefs.js";
import { project, projectRoot } from "../helpers/project.js";
import { removeWhenDone } from "../helpers/scratch.js";

test.before("a Dagger engine answers", bringUpEngine);

/** The typedefs the engine serves once it has loaded the module. */
async function servedTypedefs(): Promise<ModuleDefs> {
  const sdk = await import("@dagger.io/dagger");
  let defs: ModuleDefs | undefined;
  await sdk.connection(async () => {
    defs = await loadModule(new sdk.Context().getGQLClient(), projectRoot);
  });
  return defs!;
}

/** What a user reads and what `dagger call` does with an argument, in a form both sources give. */
function argShape(a: ArgDef) {
  const required = !a.isOptional && !a.isNullable && a.defaultValue === undefined && a.defaultPath === undefined;
  const defaultValue = Array.isArray(a.defaultValue) && a.defaultValue.length === 0 ? undefined : a.defaultValue;
  return { type: a.type, required, defaultValue, defaultPath: a.defaultPath, ignore: a.ignore, description: a.description.replace(/\s+/g, " ").trim() };
}

function shape(defs: ModuleDefs) {
  const fns = Object.fromEntries(
    Object.values(defs.main.methods).map((f) => [
      f.name,
      {
        returns: f.returnType,
        description: f.description.replace(/\s+/g, " ").trim(),
        args: Object.fromEntries(Object.values(f.arguments).map((a) => [a.name, argShape(a)])),
      },
    ]),
  );
  const ctor = Object.fromEntries(Object.values(defs.main.constructor?.arguments ?? {}).map((a) => [a.name, argShape(a)]));
  return { fns, ctor };
}

test.serial("the engine loads the module and serves the functions, flags and defaults the SDK's introspector reads from ci/src", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const served = await servedTypedefs();
  const read = await introspectedTypedefs(projectRoot);
  t.is(served.module, "s2i-python");
  t.true(Object.keys(served.main.methods).length > 0, "the engine serves functions");
  t.deepEqual(shape(served), shape(read));
});

test.serial("--help is the engine's: every function it serves, each with its flags", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const r = await daggerCall(["--help"], "help");
  t.is(r.code, 0, explainCall(r));
  t.regex(r.stderr, /module s2i-python loaded in [\d.]+ s/, "the module was loaded on the engine");
  const served = await servedTypedefs();
  for (const f of Object.values(served.main.methods)) t.regex(r.stdout, new RegExp(`^  ${kebab(f.name)} `, "m"), kebab(f.name));
  const fh = await daggerCall(["build", "--help"], "help build");
  t.is(fh.code, 0, explainCall(fh));
  for (const a of Object.values(served.main.methods.build.arguments))
    t.regex(fh.stdout, new RegExp(`^  --${kebab(a.name)}\\b`, "m"), `build --${kebab(a.name)}`);
});

const badWords: [string, string[], RegExp][] = [
  ["unknown function", ["tset"], /^error: unknown function "tset"; valid functions: .*\btest\b/],
  ["unknown flag", ["test", "--versoin", "3.11"], /^error: unknown flag "--versoin" for function test; valid flags: --version, /],
  ["missing required flag", ["build"], /^error: function build needs --version /],
  ["wrong type", ["test-matrix", "--concurrency", "two"], /^error: --concurrency takes a whole number, got "two"$/],
  [
    "a file that is not there",
    ["build", "--version", "3.11", "--extra-ca", "/no/such/ca.pem"],
    /^error: --extra-ca names "\/no\/such\/ca\.pem", which does not exist/,
  ],
];
for (const [name, words, line] of badWords) {
  test.serial(`bad input read against the served typedefs, ${name}: exit 2 and one line`, async (t) => {
    if (engineProblem()) return t.fail(engineProblem());
    const r = await daggerCall(words, `bad: ${name}`);
    t.is(r.code, 2, explainCall(r));
    t.regex(r.stderr, /module s2i-python loaded/, "read against what the engine serves");
    t.regex(r.stderr.trimEnd().split("\n").pop()!, line, explainCall(r));
    t.is(r.stdout, "");
  });
}

/** The runtime's line when a call could not use the snapshot of the module's scan (local-engine/ts-sdk/cached-scan.mjs). */
const SCANNED_AGAIN = /\[ts-sdk\] no scan snapshot to use/;

test.serial("bad values are the module's to refuse: one line from the function, run in the module's runtime", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const r = await daggerCall(["build", "--version", "9.9"], "bad version");
  t.is(r.code, 1, explainCall(r));
  t.regex(r.stderr.trimEnd().split("\n").pop()!, /^error: unknown version "9\.9"; valid versions: 3\.6, .*3\.14-minimal$/);
  t.notRegex(r.stderr, SCANNED_AGAIN, "the call read the runtime's snapshot of its scan");
});

/** A copy of the module (dagger.json and ci/ without node_modules), changed by `edit`. */
async function moduleCopy(edit?: (src: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "s2i-module-"));
  await cp(join(projectRoot, "dagger.json"), join(dir, "dagger.json"));
  for (const p of ["package.json", "package-lock.json", "tsconfig.json", "src"]) await cp(join(projectRoot, "ci", p), join(dir, "ci", p), { recursive: true });
  if (edit) {
    const index = join(dir, "ci/src/index.ts");
    const before = await readFile(index, "utf8");
    const after = edit(before);
    if (after === before) throw new Error("the edit changed nothing: the self-test would prove nothing");
    await writeFile(index, after);
  }
  return dir;
}

const faults: [string, (src: string) => string, RegExp[]][] = [
  [
    "a function whose argument type the SDK cannot register",
    (s) =>
      s.replace(
        "  /** List the targets",
        "  /** Takes what no flag can give. */\n  @func()\n  async broken(opts: Map<string, string>): Promise<string> {\n    return String(opts.size);\n  }\n\n  /** List the targets",
      ),
    [
      /^error: the engine could not load the module at \S+: failed to initialize module/m,
      /IntrospectionError: could not resolve type Map at \/src\/ci\/src\/index\.ts:\d+/,
    ],
  ],
  [
    "ci/src that does not compile",
    (s) => `${s}\nexport const broken: number = ;\n`,
    [/^error: call constructor: exit code: 1/m, /Transform failed with 1 error/, /\/src\/ci\/src\/index\.ts:\d+:\d+: ERROR: Unexpected ";"/],
  ],
];

for (const [fault, edit, want] of faults) {
  test.serial(`module fault, ${fault}: the call fails with the engine's error (red); the mended module answers (green)`, async (t) => {
    if (engineProblem()) return t.fail(engineProblem());
    const broken = removeWhenDone(t, await moduleCopy(edit));
    const red = await daggerCall(["-m", broken, "--source", projectRoot, "matrix", "--json"], `red: ${fault}`);
    t.is(red.code, 1, explainCall(red));
    for (const re of want) t.regex(red.stderr, re, explainCall(red));
    t.log(`red: ${red.stderr.split("\n").find((l) => l.startsWith("error:"))}`);
    const mended = removeWhenDone(t, await moduleCopy());
    const green = await daggerCall(["-m", mended, "--source", projectRoot, "matrix", "--json"], `green: ${fault}`);
    t.is(green.code, 0, explainCall(green));
    t.true((JSON.parse(green.stdout) as unknown[]).length > 0, "the mended module lists the targets");
  });
}

// A change of the module's code alone (here a comment) must not build images or apps again: the
// engine keys a secret the module makes by the module's code, so a build given a secret it
// never reads was built again, with every app on it, after every change to ci/src (measured
// 2026-12-04: the Debian install step and every assemble ran again; buildReadsExtraCa).
test.serial("a change of ci/src alone builds nothing again: the same test call starts no image build step and no assemble", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const out = "results/engine/module-change";
  const words = ["test", "--version", "3.11-minimal", "--distro", "debian12", "--extra-ca", HOST_CA, "--apps", "app-home", "--fail-on-error=false"];
  const first = await daggerCall([...words, "export", "--path", join(out, "first")], "this module");
  t.is(first.code, 0, explainCall(first));
  // A comment of its own each run: a module the engine saw before would come from its cache whole.
  const changed = removeWhenDone(t, await moduleCopy((src) => `${src}\n// a change that changes nothing the module does: ${randomUUID()}\n`));
  await new Promise((ok) => setTimeout(ok, 1000));
  const since = logTime();
  const again = await daggerCall(["-m", changed, "--source", projectRoot, ...words, "export", "--path", join(out, "again")], "changed module");
  t.is(again.code, 0, explainCall(again));
  t.deepEqual(notPassed(readReport(join(out, "again")).results).map(resultLine), [], "the changed module's test passes");
  const started = containersStartedSince(since);
  // The checks' runs carry the run id, so they start containers every time: none seen means the log cannot tell.
  t.true(started.length > 0, `the engine's log (podman logs --since ${since}) shows no container the call started`);
  const built = started.filter((c) => /apt-get|\/s2i\/assemble/.test(c));
  t.log(
    `after the change: ${started.length} containers started (the checks' runs), ${built.length} of them builds; ${first.seconds.toFixed(0)} s, then ${again.seconds.toFixed(0)} s`,
  );
  t.deepEqual(built, [], "no image build step and no assemble ran again");
  // The changed source got its own snapshot of the SDK's scan, and the calls read it.
  t.true(
    started.some((c) => c.includes("save-scan.mjs")),
    "the runtime of the changed module made its snapshot (local-engine/ts-sdk/save-scan.mjs)",
  );
  t.notRegex(again.stderr, SCANNED_AGAIN, "the calls read the snapshot");
});

test.serial("chained export: the rendered Dockerfile and the built image reach this machine", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const out = removeWhenDone(t, await mkdtemp(join(tmpdir(), "s2i-export-")));
  const file = join(out, "Dockerfile");
  const r = await daggerCall(["dockerfile", "--version", "3.11-minimal", "--distro", "debian12", "export", "--path", file], "export dockerfile");
  t.is(r.code, 0, explainCall(r));
  const { spec, renderer } = await project();
  const target = selectOne(spec, "3.11-minimal", "debian12");
  const rendered = renderedDockerfile(renderer, target);
  t.is(readFileSync(file, "utf8"), rendered.content, "the exported file is the rendered Dockerfile");

  const tar = join(out, "python.tar");
  const b = await daggerCall(
    ["build", "--version", "3.11-minimal", "--distro", "debian12", "--extra-ca", "/etc/ssl/certs/ca-certificates.crt", "export", "--path", tar],
    "export image",
  );
  t.is(b.code, 0, explainCall(b));
  t.true(existsSync(tar), "the image tarball was written");
  const listing = (await import("node:child_process")).execFileSync("tar", ["-tf", tar], { encoding: "utf8" });
  t.regex(listing, /^(index\.json|manifest\.json)$/m, "an OCI/Docker image archive");
});
