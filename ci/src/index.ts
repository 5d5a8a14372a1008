/**
 * The s2i-python Dagger module: renders, builds, verifies and publishes the Python
 * source-to-image container images (full and minimal) from specs/ and templates/.
 *
 * This file only declares the functions and their arguments (their doc comments are the
 * `dagger call --help` text); the work is done by plain functions under dagger/.
 */
import { argument, dag, func, object, type Container, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { UsageError } from "./errors.js";
import { renderTree } from "./render/tree.js";
import { dockerfilePath, selectOne, selectTargets } from "./matrix/select.js";
import type { Spec, Target } from "./matrix/types.js";
import { matrixRows, matrixTable } from "./matrix/table.js";
import { buildImage, extraCaSecret } from "./dagger/build.js";
import { filesToDirectory } from "./dagger/files.js";
import { testTargets } from "./dagger/matrix-run.js";
import { moduleProject } from "./dagger/project.js";
import { checkPublishArgs, defaultTags, publishTags } from "./dagger/publish.js";
import { assertPassed, checkReportDirectory, reportDirectory } from "./dagger/report.js";
import type { TestOptions } from "./dagger/test.js";
import { planTargets } from "./dagger/test.js";

@object()
export class S2iPython {
  /** The project checkout: specs/, templates/ and test/apps/. */
  source: Directory;

  constructor(
    /** The project checkout (defaults to the repository this module lives in). */
    @argument({ defaultPath: "/", ignore: ["node_modules", "ci/node_modules", "ci/sdk", ".git", "results", "out"] })
    source: Directory,
  ) {
    this.source = source;
  }

  /**
   * Render the build trees: <version>/Dockerfile.<distro>, README.md, s2i/bin/*, root/**, test/**.
   * Without filters, every target of specs/matrix.yml.
   */
  @func()
  async generate(
    /** Only this version key, e.g. 3.12 or 3.12-minimal. */
    version?: string,
    /** Only this distro, e.g. c9s, rhel8, fedora, debian12. */
    distro?: string,
  ): Promise<Directory> {
    const { spec, renderer } = await moduleProject(this.source);
    return filesToDirectory(renderTree(renderer, selectTargets(spec, { version, distro })));
  }

  /** List the targets (version x distro), their Dockerfiles, base images and image names. */
  @func()
  async matrix(
    /** Print JSON instead of a table. */
    json = false,
  ): Promise<string> {
    const { spec } = await moduleProject(this.source);
    const rows = matrixRows(spec.targets);
    return json ? JSON.stringify(rows, null, 2) : matrixTable(rows);
  }

  /** The rendered Dockerfile of one image (chain `contents` to print it, `export --path` to keep it). */
  @func()
  async dockerfile(
    /** Version key, e.g. 3.8, 3.12-minimal. */
    version: string,
    /** Distro (default: the version's default distro in specs/versions.yml). */
    distro?: string,
  ): Promise<File> {
    const { spec, renderer } = await moduleProject(this.source);
    const target = selectOne(spec, version, distro);
    const path = dockerfilePath(target);
    const file = renderer.buildContext(target).find((f) => f.path === path)!;
    return dag.directory().withNewFile(path, file.content).file(path);
  }

  /**
   * Build one image from its rendered Dockerfile; the build context holds only that image's files.
   * Chain `export --path python.tar` to write it as an OCI tarball.
   */
  @func()
  async build(
    /** Version key, e.g. 3.8, 3.12-minimal. */
    version: string,
    /** Distro (default: the version's default distro in specs/versions.yml). */
    distro?: string,
    /** Extra CA bundle (PEM) trusted at build time only, as the build secret "extra-ca"; never stored in the image. */
    extraCa?: File,
  ): Promise<Container> {
    const { spec, renderer } = await moduleProject(this.source);
    const target = selectOne(spec, version, distro);
    return buildImage(renderer, target, extraCa ? await extraCaSecret(extraCa) : undefined);
  }

  /**
   * Build one image and check it: s2i-build each sample app into it, run it three ways and probe it
   * over HTTP. Returns the report (results.xml, results.json, summary.md). Fails, naming every failing
   * app, unless --fail-on-error=false (then judge the exported report with check-report).
   */
  @func({ cache: "never" })
  async test(
    /** Version key, e.g. 3.12-minimal. */
    version: string,
    /** Distro (default: the version's default distro). */
    distro?: string,
    /** Extra CA bundle (PEM) trusted while building the image and while assemble installs dependencies. */
    extraCa?: File,
    /** Only the quick subset (apps marked smoke: true in specs/sample-apps.yml). */
    smoke = false,
    /** Only these apps (names from specs/sample-apps.yml). */
    apps: string[] = [],
    /** Fail when a check fails (true), or return the report anyway (false). */
    failOnError = true,
  ): Promise<Directory> {
    const { project, targets } = await this.selectOneTarget(version, distro);
    return this.runTests(project, targets, { smoke, apps, extraCa }, 1, failOnError);
  }

  /**
   * Build and check several targets (the whole matrix by default), at most --concurrency at once,
   * into one report. Fails like test unless --fail-on-error=false.
   */
  @func({ cache: "never" })
  async testMatrix(
    /** Only these version keys. */
    versions: string[] = [],
    /** Only these distros. */
    distros: string[] = [],
    /** How many images are built and checked at once. */
    concurrency = 2,
    /** Only the quick subset of apps. */
    smoke = false,
    /** Only these apps. */
    apps: string[] = [],
    /** Extra CA bundle (PEM), as for test. */
    extraCa?: File,
    /** Fail when a check fails (true), or return the report anyway (false). */
    failOnError = true,
  ): Promise<Directory> {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, got ${concurrency}`);
    const project = await moduleProject(this.source);
    const targets = selectMany(project.spec, versions, distros);
    return this.runTests(project, targets, { smoke, apps, extraCa }, concurrency, failOnError);
  }

  /** Fail, naming every failing check, if an exported report (a test run's output folder) holds a failure. */
  @func()
  async checkReport(
    /** The folder a test run exported (with results.json). */
    report: Directory,
  ): Promise<string> {
    return checkReportDirectory(report);
  }

  /**
   * Check one image like test, then, only if every check passed, push it as <registry>/<name label>
   * with upstream's tags. Returns the pushed references with digests, one per line.
   */
  @func({ cache: "never" })
  async publish(
    /** Version key, e.g. 3.12-minimal. */
    version: string,
    /** Distro, e.g. c9s. */
    distro: string,
    /** Registry host (and optional namespace prefix), e.g. quay.io or localhost:5000. */
    registry: string,
    /** Registry user name. */
    username: string,
    /** Registry password or token, e.g. env://REGISTRY_TOKEN. */
    password: Secret,
    /** Tags to push instead of the default <distro>, <version>, latest, <date>-<sha>. */
    tags: string[] = [],
    /** Commit of the sources: gives the <YYYYMMDD>-<short sha> tag (else a timestamp tag). */
    gitSha?: string,
    /** Extra CA bundle (PEM), as for test. */
    extraCa?: File,
    /** Only the quick subset of apps before publishing. */
    smoke = false,
  ): Promise<string> {
    checkPublishArgs(registry, tags, gitSha);
    const { project, targets } = await this.selectOneTarget(version, distro);
    const opts: TestOptions = { smoke, extraCa: extraCa && { file: extraCa, secret: await extraCaSecret(extraCa) } };
    const results = await testTargets(project, targets, opts, 1);
    assertPassed(results);
    const image = buildImage(project.renderer, targets[0], opts.extraCa?.secret);
    const refs = await publishTags(image, registry, username, password, tags.length ? tags : defaultTags(targets[0], gitSha));
    return refs.join("\n");
  }

  private async selectOneTarget(version: string, distro?: string) {
    const project = await moduleProject(this.source);
    return { project, targets: [selectOne(project.spec, version, distro)] };
  }

  private async runTests(
    project: Awaited<ReturnType<typeof moduleProject>>,
    targets: Target[],
    args: { smoke: boolean; apps: string[]; extraCa?: File },
    concurrency: number,
    failOnError: boolean,
  ): Promise<Directory> {
    planTargets(project, targets, { smoke: args.smoke, apps: args.apps });
    const opts: TestOptions = {
      smoke: args.smoke,
      apps: args.apps,
      extraCa: args.extraCa && { file: args.extraCa, secret: await extraCaSecret(args.extraCa) },
    };
    const started = new Date().toISOString();
    const results = await testTargets(project, targets, opts, concurrency);
    if (failOnError) assertPassed(results);
    return reportDirectory({ started, results });
  }
}

/** The targets of several versions and distros; each name is checked on its own first. */
function selectMany(spec: Spec, versions: string[], distros: string[]): Target[] {
  for (const version of versions) selectTargets(spec, { version });
  for (const distro of distros) selectTargets(spec, { distro });
  const picked = spec.targets.filter(
    (t) =>
      (versions.length === 0 || versions.includes(t.version.key)) &&
      (distros.length === 0 || distros.some((d) => selectTargets(spec, { distro: d }).includes(t))),
  );
  if (picked.length === 0) throw new UsageError(`no target builds ${versions.join(", ")} on ${distros.join(", ")}; see specs/matrix.yml`);
  return picked;
}
