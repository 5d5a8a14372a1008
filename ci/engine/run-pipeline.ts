// Runs the pipeline's own module functions (ci/src/index.ts, class S2iPython) against the
// local Dagger engine in client mode: the same methods `dagger call` would call, with the
// global `dag` set by connection(). Run from anywhere, as root, with the engine up:
//
//   eval "$(ci/engine/up.sh)"
//   npx tsx ci/engine/run-pipeline.ts test --version 3.11-minimal --distro debian12 [--smoke] [--apps a,b] [--out results/engine]
//   npx tsx ci/engine/run-pipeline.ts build --version 3.11 [--distro debian12]
//
// test: exports the report (results.xml, results.json, summary.md) to --out, prints
// summary.md, then judges it with the module's checkReport. Exit codes: 0 all checks passed,
// 1 a check failed (or the run broke), 2 bad input, 3 no engine.
import { connection, dag } from "@dagger.io/dagger";
import { existsSync, readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { UsageError } from "../src/errors.js";
import { S2iPython } from "../src/index.js";
import { withoutTraceIds } from "../src/dagger/probe.js";
import { ChecksFailedError } from "../src/dagger/report.js";
import { summarize, type Report } from "../src/verify/report.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** What the module's own `source` argument ignores (ci/src/index.ts), plus local scratch. */
const EXCLUDE = ["node_modules", "ci/node_modules", "ci/sdk", ".git", "results", "out"];
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const USAGE = `usage: run-pipeline.ts test --version V [--distro D] [--smoke] [--apps a,b] [--out DIR] [--no-extra-ca]
       run-pipeline.ts build --version V [--distro D] [--no-extra-ca]`;

class EngineUnreachable extends Error {}

const say = (msg: string) => console.error(`[run-pipeline ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        version: { type: "string" },
        distro: { type: "string" },
        smoke: { type: "boolean", default: false },
        apps: { type: "string" },
        out: { type: "string", default: "results/engine" },
        "no-extra-ca": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const command = positionals[0];
  if (positionals.length !== 1 || (command !== "test" && command !== "build")) throw new UsageError(`expected one command, test or build, got ${JSON.stringify(positionals.join(" "))}`);
  if (!values.version) throw new UsageError("--version is required (e.g. 3.11-minimal)");
  const apps = (values.apps ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  if (command === "build" && (values.smoke || apps.length)) throw new UsageError("--smoke and --apps only apply to test");
  return { command, version: values.version, distro: values.distro, smoke: values.smoke!, apps, out: resolve(values.out!), extraCa: !values["no-extra-ca"] && existsSync(CA_BUNDLE) };
}

/** The SDK reports a dead engine only as "reading 'port'", so look before connecting. */
async function checkEngine(): Promise<string> {
  for (const v of ["_EXPERIMENTAL_DAGGER_RUNNER_HOST", "_EXPERIMENTAL_DAGGER_CLI_BIN"]) {
    if (!process.env[v]) throw new EngineUnreachable(`${v} is not set; run: eval "$(ci/engine/up.sh)"`);
  }
  const host = process.env._EXPERIMENTAL_DAGGER_RUNNER_HOST!;
  const cli = process.env._EXPERIMENTAL_DAGGER_CLI_BIN!;
  if (!existsSync(cli)) throw new EngineUnreachable(`_EXPERIMENTAL_DAGGER_CLI_BIN=${cli} does not exist; run: eval "$(ci/engine/up.sh)"`);
  const m = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
  if (!m) return host;
  await new Promise<void>((ok, fail) => {
    const sock = createConnection({ host: m[1], port: Number(m[2]), timeout: 5000 });
    sock.once("connect", () => (sock.end(), ok()));
    sock.once("timeout", () => (sock.destroy(), fail(new Error("timed out"))));
    sock.once("error", fail);
  }).catch((e: Error) => {
    throw new EngineUnreachable(`no Dagger engine answers at ${host} (${e.message}); start it with: eval "$(ci/engine/up.sh)"`);
  });
  return host;
}

async function main(): Promise<number> {
  const args = parse();
  const host = await checkEngine();
  say(`${args.command} ${args.version}${args.distro ? ` on ${args.distro}` : ""} via ${host}${args.extraCa ? `, extra CA ${CA_BUNDLE}` : ""}`);
  const t0 = Date.now();
  let code = 0;
  await connection(
    async () => {
      const module = new S2iPython(dag.host().directory(repoRoot, { exclude: EXCLUDE }));
      const extraCa = args.extraCa ? dag.host().file(CA_BUNDLE) : undefined;

      if (args.command === "build") {
        const image = await (await module.build(args.version, args.distro, extraCa)).sync();
        const [name, python] = await Promise.all([image.label("name"), image.withExec(["python3", "--version"]).stdout()]);
        console.log(`built ${name ?? "(no name label)"}: ${python.trim()} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        return;
      }

      const report = await module.test(args.version, args.distro, extraCa, args.smoke, args.apps, false);
      await report.export(args.out);
      say(`report exported to ${args.out} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      console.log(readFileSync(resolve(args.out, "summary.md"), "utf8").trimEnd());
      try {
        // The module's own verdict over the exported folder (what `dagger call check-report` does).
        console.log(await module.checkReport(dag.host().directory(args.out)));
      } catch (e) {
        if (!(e instanceof ChecksFailedError)) throw e;
        console.log(`\n${e.message}`);
        code = 1;
      }
    },
    { LogOutput: process.stderr },
  );
  if (args.command === "test") {
    // Belt and braces: the verdict read straight from results.json.
    const report = JSON.parse(readFileSync(resolve(args.out, "results.json"), "utf8")) as Report;
    const s = summarize(report.results);
    if ((s.failed > 0 || s.total === 0) && code === 0) code = 1;
    say(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return code;
}

/** The SDK wraps errors from the callback ("failed to execute function with automatic provisioning: ..."). */
function unwrap(e: unknown): unknown {
  while (e instanceof Error && !(e instanceof UsageError) && !(e instanceof ChecksFailedError) && e.cause !== undefined) e = e.cause;
  return e;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = unwrap(err);
    if (e instanceof UsageError) {
      console.error(`run-pipeline: ${e.message}\n${USAGE}`);
      process.exit(2);
    }
    if (e instanceof EngineUnreachable) {
      console.error(`run-pipeline: ENGINE NOT REACHABLE: ${e.message}`);
      process.exit(3);
    }
    // A GraphQL error's message carries the whole request after ': {"response":'; keep the engine's words.
    const msg = withoutTraceIds(e instanceof Error ? e.message : String(e)).split(': {"response":')[0];
    console.error(`run-pipeline: failed: ${msg.length > 1000 ? `${msg.slice(0, 1000)}...` : msg}`);
    if (e instanceof Error && e.stack && process.env.RUN_PIPELINE_DEBUG) console.error(e.stack);
    process.exit(1);
  },
);
