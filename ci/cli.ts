#!/usr/bin/env node
// The generator CLI: renders the build trees and lists the matrix, with no Dagger engine.
// Runs compiled (npm ci builds dist/ through "prepare"):
//   node dist/ci/cli.js generate --out DIR [--version 3.12-minimal] [--distro c9s]
//   node dist/ci/cli.js generate --check DIR [--version ...] [--distro ...]
//   node dist/ci/cli.js matrix [--json] [--no-subscription]
// The arguments are read with yargs (about 70 ms of load, which the render can afford).
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import { ChecksFailedError, exitCodeOf, isReported, UsageError } from "./src/errors.js";
import { loadSpec } from "./src/spec/load-spec.js";
import { dockerfilePath, selectTargets } from "./src/spec/select.js";
import { matrixRows, matrixTable } from "./src/spec/matrix-table.js";
import type { Spec, Target } from "./src/spec/types.js";
import { FsSource } from "./src/spec/source.js";
// render/ (Handlebars) is imported where it is used, so that `matrix` does not load it.

// ci/cli.ts under tsx, dist/ci/cli.js once compiled: the checkout is one or two levels up.
const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, basename(dirname(here)) === "dist" ? "../.." : "..");

/** The checkout on disk, read synchronously: a one-shot process has nothing to overlap the ~80 reads with. */
class CliSource extends FsSource {
  override read(path: string): Promise<string> {
    try {
      return Promise.resolve(readFileSync(join(this.root, path), "utf8"));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

/** The filters both commands take. */
const FILTERS = {
  version: { type: "string", requiresArg: true, describe: "only this version key (3.8, 3.12-minimal, ...)" },
  distro: { type: "string", requiresArg: true, describe: "only this distro (rhel8, c9s, fedora, debian12, ...)" },
} as const;

const COMMANDS = ["generate", "matrix"];

type Args = { out?: string; check?: string; version?: string; distro?: string; quiet?: boolean; json?: boolean; "no-subscription"?: boolean };

/**
 * The command line, read with yargs: one command, its options, --help per command. Bad input
 * is one line (a UsageError: exit 2) naming the bad word and the valid choices.
 */
function parser(argv: string[]) {
  return yargs(argv)
    .scriptName("s2i-python")
    .usage("Usage: s2i-python <command> [options]")
    .command(
      "generate",
      "write the build trees (--out DIR) or compare them with DIR (--check DIR)",
      (y) =>
        y
          .usage("Usage: s2i-python generate (--out DIR | --check DIR) [--version V] [--distro D]")
          .epilogue(
            [
              "--out writes DIR/<version key>/Dockerfile.<distro>, README.md, s2i/bin/*, root/**, test/**.",
              "Without a filter each version folder is replaced whole (stale files go, and so does a folder",
              "named as a version key the spec no longer has); with --version/--distro only the selected",
              "targets' files are written and nothing else is touched.",
              "--check renders afresh and compares with DIR; writes nothing. Exit 0 when equal, else exit 1",
              "with one line per file: differs:, missing:, not generated: (a file inside a checked version",
              "folder that generate does not write), mode: (executable or not, as git keeps it).",
            ].join("\n"),
          )
          .options({
            out: { type: "string", requiresArg: true, describe: "write the trees into DIR" },
            check: { type: "string", requiresArg: true, describe: "compare DIR with a fresh render" },
            ...FILTERS,
            quiet: { type: "boolean", describe: "print only the summary line" },
          })
          .check((a) => {
            if ((a.out === undefined) === (a.check === undefined))
              throw new UsageError("generate needs --out DIR (write) or --check DIR (compare), one of them");
            return true;
          }),
      (a) => generate(a),
    )
    .command(
      "matrix",
      "list the targets: version key, distro, image, Dockerfile, base image, name",
      (y) =>
        y.options({
          ...FILTERS,
          json: { type: "boolean", describe: "print JSON (one object per target)" },
          "no-subscription": {
            type: "boolean",
            describe:
              "only targets that build without a Red Hat subscription, i.e. all but the RHEL ones (os: rhel in specs/distros.yml), whose builds install RHEL content beyond UBI (--subscription of build, test and publish)",
          },
        }),
      (a) => matrix(a),
    )
    .demandCommand(1, 1, "name a command: generate or matrix (see --help)", "one command at a time: generate or matrix (see --help)")
    .strict()
    .version(false)
    .parserConfiguration({ "boolean-negation": false })
    .help()
    .alias("h", "help")
    .epilogue(
      [
        "Renders the Python s2i image build trees from specs/ and templates/.",
        "Exit codes: 0 success; 1 --check found differences, or the run broke; 2 bad input (arguments,",
        "spec, template), with one line saying what is wrong.",
      ].join("\n"),
    )
    .wrap(100)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err && err.name !== "YError") throw err;
      throw new UsageError(usageLine(argv, msg ?? err!.message));
    });
}

/** The options each command takes, for the line that refuses another. */
const OPTIONS_OF: Record<string, string[]> = {
  generate: ["--out", "--check", "--version", "--distro", "--quiet"],
  matrix: ["--version", "--distro", "--json", "--no-subscription"],
};

/** yargs' message as one line of ours: the bad word, and what is valid instead. */
function usageLine(argv: string[], msg: string): string {
  const first = msg.split("\n")[0];
  const unknown = /^Unknown arguments?: (.+)$/.exec(first);
  if (unknown) {
    const name = unknown[1].split(", ")[0];
    const command = argv[0];
    if (!argv.some((w) => w === `--${name}` || w.startsWith(`--${name}=`) || w === `-${name}`)) return `unexpected argument "${name}" (see --help)`;
    return `unknown option --${name}; ${command} takes ${(OPTIONS_OF[command] ?? []).join(", ")} (see --help)`;
  }
  const noValue = /^Not enough arguments following: (.+)$/.exec(first);
  if (noValue) return `--${noValue[1]} needs a value (see --help)`;
  return first.includes("(see --help)") ? first : `${first} (see --help)`;
}

/** Runs the command line; an unknown command is refused before yargs reads the rest. */
async function main(argv: string[]): Promise<void> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith("-") && !COMMANDS.includes(first))
    throw new UsageError(`unknown command "${first}"; commands: ${COMMANDS.join(", ")}`);
  await parser(argv).parseAsync();
}

/**
 * The templates, compiled through the template cache (node_modules/.cache/s2i-python/): a warm
 * cache spares the ~200 ms of parsing and compiling them. S2I_PYTHON_TEMPLATE_CACHE=off turns
 * it off, or names another file.
 */
async function loadRenderer(source: FsSource, spec: Spec) {
  const { Renderer } = await import("./src/render/render.js");
  const { TemplateCache, useTemplateCache } = await import("./src/render/template-cache.js");
  const setting = process.env["S2I_PYTHON_TEMPLATE_CACHE"];
  if (setting === "off") return Renderer.load(source, spec);
  const cache = TemplateCache.open(setting || join(projectRoot, "node_modules/.cache/s2i-python/templates.json"));
  useTemplateCache(cache);
  try {
    const renderer = await Renderer.load(source, spec);
    cache.save();
    return renderer;
  } finally {
    useTemplateCache(undefined);
  }
}

/** " --version V --distro D": the filters as the user gave them, for messages. */
function filterArgs(a: Args): string {
  return (a.version !== undefined ? ` --version ${a.version}` : "") + (a.distro !== undefined ? ` --distro ${a.distro}` : "");
}

async function generate(a: Args): Promise<void> {
  if ((a.out === undefined) === (a.check === undefined)) throw new UsageError("generate needs --out DIR (write) or --check DIR (compare), one of them");
  const started = performance.now();
  const source = new CliSource(projectRoot);
  const spec = await loadSpec(source);
  const targets = selectTargets(spec, { version: a.version, distro: a.distro });
  const { compareTree, filesUnder, removeTree, renderTree, strayVersionFolders, writeTree } = await import("./src/render/tree.js");
  const renderer = await loadRenderer(source, spec);
  const files = renderTree(renderer, targets);
  const filtered = a.version !== undefined || a.distro !== undefined;

  if (a.check !== undefined) {
    const dir = resolve(a.check);
    if (!isFolder(dir)) throw new UsageError(`--check ${a.check}: no such folder`);
    // Files of the same version keys that the filter left out are not compared, but are not strays either.
    const keys = new Set(targets.map((t) => t.version.key));
    const all = filtered
      ? renderTree(
          renderer,
          spec.targets.filter((t) => keys.has(t.version.key)),
        )
      : files;
    const problems = compareTree(dir, files, new Set(all.map((f) => f.path)));
    // Without a filter, a version folder the spec no longer has is stale too.
    if (!filtered)
      for (const key of strayVersionFolders(dir, new Set(spec.versions.keys())))
        problems.push(
          ...filesUnder(dir, key)
            .sort()
            .map((p) => `not generated: ${p}`),
        );
    if (problems.length > 0) {
      throw new ChecksFailedError(
        [
          ...problems,
          `${a.check}: ${problems.length} difference(s) from a fresh render of ${targets.length} targets; \`generate --out ${a.check}\` rewrites the version folders`,
        ].join("\n"),
      );
    }
    console.log(`${a.check}: ${files.length} files of ${targets.length} targets match a fresh render`);
    return;
  }

  await writeTree(resolve(a.out!), files, filtered ? "update" : "replace");
  // Without a filter, a version folder the spec no longer has goes too (nothing else of --out is touched).
  const stray = filtered ? [] : strayVersionFolders(resolve(a.out!), new Set(spec.versions.keys()));
  for (const key of stray) removeTree(join(resolve(a.out!), key));
  if (stray.length && !a.quiet) console.log(`removed ${stray.map((k) => `${a.out}/${k}/`).join(", ")}: no longer in specs/versions.yml`);
  if (!a.quiet) for (const t of targets) console.log(`wrote ${a.out}/${dockerfilePath(t)}`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `generated ${targets.length} targets, ${files.length} files into ${a.out} in ${ms} ms${filterArgs(a) ? ` (only${filterArgs(a)}; other files left alone)` : ""}`,
  );
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function matrix(a: Args): Promise<void> {
  const source = new CliSource(projectRoot);
  const spec = await loadSpec(source);
  let targets: Target[] = selectTargets(spec, { version: a.version, distro: a.distro });
  // The subscription is for the RHEL targets (ci/src/build/inputs.ts refuses it elsewhere).
  if (a["no-subscription"]) targets = targets.filter((t) => t.distro.os !== "rhel");
  const rows = matrixRows(targets);
  console.log(a.json ? JSON.stringify(rows, null, 2) : matrixTable(rows));
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  // One exit-code table for every entry point (ci/src/errors.ts).
  if (e instanceof Error && e.name === "ChecksFailedError") console.error(e.message);
  else if (isReported(e)) console.error(`error: ${e.message}`);
  else if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string") console.error(`error: ${e.message}`);
  else console.error(e);
  process.exitCode = exitCodeOf(e);
}
