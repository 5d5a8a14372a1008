// `npm run dagger -- call ...` without the real CLI: its words are read against the module's
// typedefs. The engine serves those once it has loaded the module (test/engine/module-mode.test.ts
// holds them equal); here they come from the SDK's own introspector over ci/src, so the parser
// and its messages are tested without an engine.
import test from "ava";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { kebab, parseCall, summary } from "../local-engine/call/parse.js";
import { introspectedTypedefs } from "./helpers/introspected-typedefs.js";
import { projectRoot } from "./helpers/project.js";

const defs = await introspectedTypedefs(projectRoot);

/** The functions index.ts declares with @func(), read from its text. */
function declaredFunctions(): string[] {
  const text = readFileSync(join(projectRoot, "ci/src/index.ts"), "utf8");
  return [...text.matchAll(/@func\([^)]*\)\s+async\s+(\w+)\(/g)].map((m) => kebab(m[1]));
}

test("the functions are the module's @func() methods, as the introspector reads them", (t) => {
  const help = parseCall(defs, ["--help"]);
  t.true("help" in help);
  const listed = Object.values(defs.main.methods).map((f) => kebab(f.name));
  t.deepEqual([...listed].sort(), declaredFunctions().sort());
  for (const name of listed) t.regex((help as { help: string }).help, new RegExp(`^  ${name} `, "m"));
});

test("the function list gives each doc comment's first sentence whole, across its line breaks", (t) => {
  const help = (parseCall(defs, ["--help"]) as { help: string }).help;
  for (const f of Object.values(defs.main.methods)) {
    const line = help.split("\n").find((l) => l.startsWith(`  ${kebab(f.name)} `))!;
    t.regex(line, /\.$/, `${kebab(f.name)}: a whole sentence`);
    t.true(f.description.replace(/\s+/g, " ").startsWith(line.replace(/^\s+\S+\s+/, "")), kebab(f.name));
  }
  t.is(summary("One line\nacross two. Then more.\n\nAnother paragraph."), "One line across two.");
});

test("a function's --help lists its flags with types, defaults and what is required", (t) => {
  const h = parseCall(defs, ["test", "--help"]) as { help: string };
  t.regex(h.help, /^  --version string +.*\[required\]$/m);
  t.regex(h.help, /^  --extra-ca File +/m);
  t.regex(h.help, /^  --fail-on-error +.*\[default true\]$/m);
  t.regex(h.help, /^  export --path PATH +write the directory to PATH$/m);
});

test("flags are read by type: booleans, lists, integers, files; chained export", (t) => {
  const p = parseCall(
    defs,
    ["test-matrix", "--versions", "3.11,3.13", "--versions=3.12", "--smoke", "--concurrency=3", "--fail-on-error=false", "export", "--path", "out"],
    () => true,
  );
  t.true("call" in p);
  const call = (p as Extract<typeof p, { call: unknown }>).call;
  t.is(call.fn.name, "testMatrix");
  t.deepEqual(call.args, { versions: ["3.11", "3.13", "3.12"], smoke: true, concurrency: 3, failOnError: false });
  t.deepEqual(call.chain, [{ name: "export", value: "out" }]);
  const ctor = parseCall(defs, ["--source", "/tmp", "matrix", "--json"]) as Extract<typeof p, { call: unknown }>;
  t.deepEqual(ctor.call.ctorArgs, { source: "/tmp" });
});

test("a Service flag is tcp://HOST:PORT, kept as given for the session to make the service", (t) => {
  const p = parseCall(defs, ["needs-rebuild", "--ref", "127.0.0.1:5000/s/n:latest", "--registry-service", "tcp://127.0.0.1:5000"], () => true);
  t.deepEqual((p as Extract<typeof p, { call: unknown }>).call.args, { ref: "127.0.0.1:5000/s/n:latest", registryService: "tcp://127.0.0.1:5000" });
});

const bad: [string, string[], RegExp][] = [
  ["no function", [], /^name a function; valid functions: generate, /],
  ["unknown function", ["tset"], /^unknown function "tset"; valid functions: .*\btest\b/],
  ["unknown flag", ["test", "--versoin", "3.11"], /^unknown flag "--versoin" for function test; valid flags: --version, --distro/],
  ["missing required flag", ["test", "--smoke"], /^function test needs --version /],
  ["wrong type", ["test-matrix", "--concurrency", "two"], /^--concurrency takes a whole number, got "two"$/],
  ["bad boolean", ["test", "--version", "3.11", "--smoke=yes"], /^--smoke takes true or false, got "yes"$/],
  ["missing file", ["build", "--version", "3.11", "--extra-ca", "/no/such/ca.pem"], /^--extra-ca names "\/no\/such\/ca\.pem", which does not exist/],
  ["a folder for a file", ["build", "--version", "3.11", "--extra-ca", "/tmp"], /^--extra-ca names "\/tmp", which is not a file$/],
  [
    "bad secret",
    ["publish", "--version", "3.11", "--repository", "r/x", "--username", "u", "--password", "hunter2"],
    /^--password takes a secret as env:\/\/NAME, .*got "\*+"$/,
  ],
  [
    "a service that is no tcp://HOST:PORT",
    ["verify-published", "--ref", "r/x:1", "--key", "/etc/hostname", "--registry-service", "127.0.0.1:5000"],
    /^--registry-service takes a service on this machine as tcp:\/\/HOST:PORT, got "127\.0\.0\.1:5000"$/,
  ],
  ["unknown chained function", ["build", "--version", "3.11", "exprot"], /^unknown function "exprot" after build \(a Container\); valid: export, publish$/],
  ["chain after a string", ["matrix", "export", "--path", "x"], /^"export" cannot follow matrix: it returns string/],
  ["chain without its flag", ["generate", "export"], /^export needs --path/],
];
for (const [name, words, message] of bad) {
  test(`bad input, ${name}: one UsageError line`, (t) => {
    const err = t.throws(() => parseCall(defs, words));
    t.is(err!.name, "UsageError");
    t.regex(err!.message, message);
    t.false(err!.message.includes("\n"));
  });
}

test("as a process: a command other than call exits 2 with one line and never connects to the engine", async (t) => {
  let connections = 0;
  const server = createServer((s) => (connections++, s.destroy()));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  try {
    const env = {
      ...process.env,
      S2I_LOCAL_ENGINE: "1",
      _EXPERIMENTAL_DAGGER_RUNNER_HOST: `tcp://127.0.0.1:${port}`,
      _EXPERIMENTAL_DAGGER_CLI_BIN: "/bin/false",
    };
    for (const words of [["functions"], ["install", "x"], ["call", "-m", "/no/such/module", "matrix"]]) {
      const r = spawnSync("npm", ["run", "--silent", "dagger", "--", ...words], { cwd: projectRoot, env, encoding: "utf8" });
      t.is(r.status, 2, `${words.join(" ")}: ${r.stderr}`);
      t.regex(r.stderr, /^error: .+\n$/, words.join(" "));
    }
    t.is(connections, 0, "no connection to the engine");
  } finally {
    server.close();
  }
});
