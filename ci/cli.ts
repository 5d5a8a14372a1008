#!/usr/bin/env -S npx tsx
// The generator CLI: renders the build trees and lists the matrix, with no Dagger engine.
//   npm run generate -- --out DIR [--version 3.12-minimal] [--distro c9s]
//   npm run matrix [-- --json]
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { SpecError, TemplateError, UsageError } from "./src/errors.js";
import { loadProject } from "./src/project.js";
import { renderTree, writeTree } from "./src/render/tree.js";
import { FsSource } from "./src/source.js";
import { dockerfilePath, selectTargets } from "./src/matrix/select.js";
import { matrixRows, matrixTable } from "./src/matrix/table.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function generate(args: { out: string; version?: string; distro?: string; quiet?: boolean }) {
  const started = performance.now();
  const { spec, renderer } = await loadProject(new FsSource(projectRoot));
  const targets = selectTargets(spec, { version: args.version, distro: args.distro });
  const files = renderTree(renderer, targets);
  await writeTree(resolve(args.out), files);
  if (!args.quiet) for (const t of targets) console.log(`wrote ${args.out}/${dockerfilePath(t)}`);
  const ms = Math.round(performance.now() - started);
  console.log(`generated ${targets.length} targets, ${files.length} files into ${args.out} in ${ms} ms`);
}

async function matrix(args: { json?: boolean; version?: string; distro?: string }) {
  const { spec } = await loadProject(new FsSource(projectRoot));
  const rows = matrixRows(selectTargets(spec, { version: args.version, distro: args.distro }));
  console.log(args.json ? JSON.stringify(rows, null, 2) : matrixTable(rows));
}

const filters = {
  version: { type: "string", describe: "only this version key (3.8, 3.12-minimal, ...)" },
  distro: { type: "string", describe: "only this distro (rhel8, c9s, fedora, debian12, ...)" },
} as const;

await yargs(hideBin(process.argv))
  .scriptName("s2i-python")
  .usage("$0 <command> [options]\n\nRenders the Python s2i image build trees from specs/ and templates/.")
  .command(
    "generate",
    "write every target's build tree: OUT/<version key>/Dockerfile.<distro>, README.md, s2i/bin/*, root/**, test/**",
    (y) =>
      y
        .options({ out: { type: "string", demandOption: true, describe: "folder to write into (version folders are replaced)" }, ...filters })
        .option("quiet", { type: "boolean", describe: "print only the summary line" }),
    (a) => generate(a),
  )
  .command(
    "matrix",
    "list the targets: version key, distro, Dockerfile, base image, image name",
    (y) => y.options({ json: { type: "boolean", describe: "print JSON instead of a table" }, ...filters }),
    (a) => matrix(a),
  )
  .version(false)
  .demandCommand(1, "name a command: generate or matrix")
  .strict()
  .fail((msg, err, y) => {
    if (err instanceof UsageError || err instanceof SpecError || err instanceof TemplateError) {
      console.error(`error: ${err.message}`);
      process.exit(2);
    }
    if (err) throw err;
    console.error(`error: ${msg}\n`);
    console.error(y.help());
    process.exit(2);
  })
  .help()
  .parseAsync();
