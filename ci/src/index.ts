/**
 * The s2i-python Dagger module: renders, builds, verifies and publishes the Python
 * source-to-image container images (full and minimal) from specs/ and templates/.
 *
 * This file only declares the functions and their arguments (their doc comments are the
 * `dagger call --help` text); the work is done by the stages' functions, one folder a stage,
 * spec -> render -> build -> verify -> publish (ci/src/README.md states their rule).
 */
import { argument, dag, func, object, type Container, type Directory, type File, type Platform, type Secret, type Service } from "@dagger.io/dagger";
import { ImageBuildError, UsageError } from "./errors.js";
import { buildFailureHint } from "./build/failure-hint.js";
import { buildImage, type BuildInputs } from "./build/engine/image-build.js";
import { buildInputs, type BuildArgs } from "./build/engine/build-secrets.js";
import { validatePlatforms, validatePublishArgs } from "./publish/publish-args.js";
import { defaultTags } from "./publish/tags.js";
import { publishTags, pythonVersionOf } from "./publish/engine/push.js";
import { sbomOf } from "./publish/engine/sbom.js";
import { resolveBases } from "./publish/engine/base-digests.js";
import { verifyPublished } from "./publish/engine/published-image.js";
import { rebuildCheck } from "./publish/engine/rebuild-check.js";
import { attachBlocked, registryHost, validateRef, validateTunnelHost } from "./publish/registry-host.js";
import { attachSupplyChain, withSourceAnnotations } from "./publish/engine/supply-chain.js";
import { fromImages } from "./publish/base-images.js";
import { buildRecordInputs, renderedDockerfile, validateSourceArgs } from "./publish/build-record.js";
import { validateSbomFormat } from "./publish/sbom-format.js";
import { renderTree } from "./render/tree.js";
import { filesToDirectory } from "./render/engine/files-to-directory.js";
import { judgeLint, lintItems } from "./render/script-lint.js";
import { runLint } from "./render/engine/script-lint-run.js";
import { matrixRows, matrixTable } from "./spec/matrix-table.js";
import { dockerfilePath, selectMany, selectOne, selectTargets, targetName } from "./spec/select.js";
import type { Target } from "./spec/types.js";
import { targetImageName } from "./spec/image.js";
import { moduleProject, type ModuleProject } from "./spec/engine/module-project.js";
import { assertPassed, type CheckResult } from "./verify/results.js";
import { acceptTestedReport } from "./publish/tested-report.js";
import { identifyImage } from "./verify/engine/identify-image.js";
import { IMAGE_BUILD } from "./verify/engine/checks.js";
import { runReport } from "./verify/faults.js";
import { judgeReportDirectory, readReportDirectory, reportDirectory } from "./verify/engine/report-directory.js";
import { testDockerfiles } from "./verify/engine/test-dockerfiles.js";
import { planTargets, testOptions, testTargets, type AppArgs } from "./verify/engine/test-targets.js";

@object()
export class S2iPython {
  /** The project checkout: specs/, templates/ and test/apps/. */
  source: Directory;

  constructor(
    /** The project checkout (defaults to the repository this module lives in); only specs/, templates/ and test/apps/ are read. */
    // An allow-list of what the functions read, in .dockerignore terms (the last pattern that
    // matches a path decides; "!" keeps): everything else, such as the committed version
    // folders, local-engine/ and the tests, is never uploaded. test/source-allow-list.test.ts holds it.
    @argument({ defaultPath: "/", ignore: ["*", "!specs", "!templates", "!test", "test/*", "!test/apps"] })
    source: Directory,
  ) {
    this.source = source;
  }

  /**
   * Render the build trees: <version>/Dockerfile.<distro>, README.md, s2i/bin/*, root/**, test/**.
   * Without filters, every target of specs/versions.yml.
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

  /**
   * Lint the rendered scripts (s2i/bin/*, root/**) in a Debian container: sh -n or bash -n and
   * shellcheck --severity style for the shell scripts, python3 -m py_compile for the Python ones.
   * Without filters, every target's. Fails naming each finding by the rendered paths that have it.
   */
  @func()
  async lint(
    /** Only this version key, e.g. 3.12 or 3.12-minimal. */
    version?: string,
    /** Only this distro, e.g. c9s, rhel8, fedora, debian12. */
    distro?: string,
  ): Promise<string> {
    const { spec, renderer } = await moduleProject(this.source);
    const items = lintItems(renderTree(renderer, selectTargets(spec, { version, distro })));
    return judgeLint(items, await runLint(items));
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
    /** Distro (default: the version's first distro in specs/versions.yml). */
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
    /** Distro (default: the version's first distro in specs/versions.yml). */
    distro?: string,
    /** CA bundle (PEM) the steps that fetch over https trust, for a TLS-inspecting proxy (a Debian build: with an https --apt-mirror); a build secret, never in the image. */
    extraCa?: File,
    /** Red Hat subscription for the RHEL targets: a folder with entitlement/<id>.pem and <id>-key.pem (from /etc/pki) and rhsm/ (from /etc); build secrets, never in the image. */
    subscription?: Directory,
    /** Debian targets: a mirror that replaces http://deb.debian.org while packages are installed, e.g. https://deb.debian.org. */
    aptMirror?: string,
    /** The platform to build for, e.g. linux/arm64 (default: the engine's own); one the target's base images offer. */
    platform?: Platform,
  ): Promise<Container> {
    const { project, targets } = await this.selectOneTarget(version, distro, { subscription, aptMirror, platform });
    const image = buildImage(project.renderer, targets[0], await buildInputs({ extraCa, subscription, aptMirror, platform }));
    try {
      return await image.sync();
    } catch (e) {
      const hint = buildFailureHint(targets[0], e);
      if (hint) throw new ImageBuildError(hint);
      throw e;
    }
  }

  /**
   * The SBOM of one image, made by syft (built from the Go module proxy) inside the pipeline:
   * the packages of its dpkg or rpm database and the Python packages of its virtual environment.
   * Chain `export --path sbom.json` to keep it.
   */
  @func()
  async sbom(
    /** Version key, e.g. 3.12-minimal. */
    version: string,
    /** Distro (default: the version's first distro). */
    distro?: string,
    /** spdx-json or cyclonedx-json. */
    format = "spdx-json",
    /** CA bundle (PEM), as for build; the tools' builds trust it too. */
    extraCa?: File,
    /** Red Hat subscription for the RHEL targets, as for build. */
    subscription?: Directory,
    /** Debian targets: the apt mirror of the image build, as for build. */
    aptMirror?: string,
    /** The platform of the image, as for build. */
    platform?: Platform,
  ): Promise<File> {
    const fmt = validateSbomFormat(format);
    const { project, targets } = await this.selectOneTarget(version, distro, { subscription, aptMirror, platform });
    const inputs = await buildInputs({ extraCa, subscription, aptMirror, platform });
    const image = buildImage(project.renderer, targets[0], inputs);
    return sbomOf(image, fmt, targetImageName(targets[0]), await pythonVersionOf(image), extraCa);
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
    /** Distro (default: the version's first distro). */
    distro?: string,
    /** CA bundle (PEM) trusted while the image is built and while assemble installs dependencies; never in an image. */
    extraCa?: File,
    /** Only the quick subset (apps marked smoke: true in specs/sample-apps.yml). */
    smoke = false,
    /** Only these apps (names from specs/sample-apps.yml). */
    apps: string[] = [],
    /** Fail when a check fails (true), or return the report anyway (false). */
    failOnError = true,
    /** Red Hat subscription for the RHEL targets, as for build. */
    subscription?: Directory,
    /** Debian targets: the apt mirror of the image build, as for build. */
    aptMirror?: string,
    /** The platform to build and check, e.g. linux/arm64 (default: the engine's own). */
    platform?: Platform,
    /** Only the image checks: build no sample app. */
    imageOnly = false,
    /** SOURCE_DATE_EPOCH of the build, as for publish: give both the same to publish with this report (--report). */
    sourceDateEpoch?: number,
  ): Promise<Directory> {
    validateSourceArgs({ sourceDateEpoch });
    const { project, targets } = await this.selectOneTarget(version, distro, { subscription, aptMirror, platform });
    return this.runTests(project, targets, { imageOnly, smoke, apps, extraCa, subscription, aptMirror, platform, sourceDateEpoch }, 1, failOnError);
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
    /** CA bundle (PEM), as for test. */
    extraCa?: File,
    /** Fail when a check fails (true), or return the report anyway (false). */
    failOnError = true,
  ): Promise<Directory> {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, got ${concurrency}`);
    const project = await moduleProject(this.source);
    const targets = selectMany(project.spec, versions, distros);
    return this.runTests(project, targets, { smoke, apps, extraCa }, concurrency, failOnError);
  }

  /**
   * Check sample apps built by Dockerfiles of your own, such as `s2i build --as-dockerfile`
   * writes, on this pipeline's image: in each, the FROM that names --builder (default: its first
   * FROM) is the built image. Each app is judged as specs/sample-apps.yml says: run three ways
   * and probed over HTTP, or failing its build as expected. Returns the report; fails like test.
   */
  @func({ cache: "never" })
  async testDockerfiles(
    /** Version key, e.g. 3.11-minimal. */
    version: string,
    /** One folder per sample app, named as in specs/sample-apps.yml, each a build context with a Dockerfile. */
    contexts: Directory,
    /** Distro (default: the version's first distro). */
    distro?: string,
    /** The image name the Dockerfiles' FROM gives the builder (default: each one's first FROM). */
    builder?: string,
    /** CA bundle (PEM), as for test. */
    extraCa?: File,
    /** Fail when a check fails (true), or return the report anyway (false). */
    failOnError = true,
  ): Promise<Directory> {
    const { project, targets } = await this.selectOneTarget(version, distro, {});
    const started = new Date().toISOString();
    const results = await testDockerfiles(project, targets[0], contexts, builder, extraCa);
    if (failOnError) assertPassed(results);
    return reportDirectory({ started, results });
  }

  /**
   * Fail, naming each one, if an exported report (a test run's output folder) holds a check that
   * failed or did not run; checks that do not apply to the image are accepted.
   */
  @func()
  async checkReport(
    /** The folder a test run exported (with results.json). */
    report: Directory,
  ): Promise<string> {
    return judgeReportDirectory(report);
  }

  /**
   * Check one image like test, then, only if every check passed, push it to --repository as
   * <repository>/<name>:<tag> for each tag. Returns the pushed references with digests, one per line.
   * With --report, the checks are not run again: the report of a test run on this engine is taken
   * when it holds every check publish plans, all passed, about this very build (its files and settings).
   */
  @func({ cache: "never" })
  async publish(
    /** Version key, e.g. 3.12-minimal. */
    version: string,
    /** Where to push: a registry and namespace, e.g. quay.io/myorg or 127.0.0.1:5000/s2i. */
    repository: string,
    /** Distro (default: the version's first distro). */
    distro?: string,
    /** Image name (default: from the target, e.g. python-312-minimal-c9s); upstream publishes e.g. quay.io/fedora/python-313. */
    name?: string,
    /** Registry user name (with --password; leave both out for a registry without login). */
    username?: string,
    /** Registry password or token, e.g. env://REGISTRY_TOKEN; never printed, never in a layer. */
    password?: Secret,
    /** Tags instead of the default: the image's full Python version, the version key, the distro, latest and <date>-<sha>. */
    tags: string[] = [],
    /** Commit of the sources: gives the <YYYYMMDD>-<short sha> tag (else a timestamp tag). */
    gitSha?: string,
    /** CA bundle (PEM), as for test. */
    extraCa?: File,
    /** Red Hat subscription for the RHEL targets, as for build. */
    subscription?: Directory,
    /** Debian targets: the apt mirror of the image build, as for build. */
    aptMirror?: string,
    /** Only the quick subset of apps before publishing. */
    smoke = false,
    /** The platforms of the published image index, each built and checked first (default: the engine's own). */
    platforms: Platform[] = [],
    /** A cosign private key, e.g. env://COSIGN_KEY: signs the pushed digest, its provenance and SBOMs (no transparency log). Without it they are attached unsigned. */
    signKey?: Secret,
    /** The password of --sign-key (cosign's COSIGN_PASSWORD), e.g. env://COSIGN_PASSWORD; none for a key without one. */
    signKeyPassword?: Secret,
    /** Where the sources live, e.g. https://github.com/org/s2i-python: the provenance's source, with --git-sha. */
    sourceRepository?: string,
    /** The commit's time in seconds since 1970 (git log -1 --format=%ct): SOURCE_DATE_EPOCH of the build. */
    sourceDateEpoch?: number,
    /** The registry as a service, for one on this machine's loopback that the pipeline's containers cannot reach by its address, e.g. tcp://127.0.0.1:5000. */
    registryService?: Service,
    /** A folder test exported (results.json) for this build, on this engine: its checks stand instead of running them again. */
    report?: Directory,
  ): Promise<string> {
    const args = { repository, name, username, password, tags, gitSha };
    validatePublishArgs(args);
    validatePlatforms(platforms);
    validateSourceArgs({ sourceRepository, sourceDateEpoch });
    if (registryService) validateTunnelHost(registryHost(repository));
    const blocked = attachBlocked(registryHost(repository), Boolean(registryService), Boolean(signKey));
    const started = new Date();
    const project = await moduleProject(this.source);
    const target = selectOne(project.spec, version, distro);
    const variants = platforms.length ? platforms : [undefined];
    // The same checks on every platform; each platform's build inputs are checked.
    const plans = variants.map((platform) => planTargets(project, [target], { smoke, extraCa, build: { subscription, aptMirror, platform } }).get(target)!);
    const tested = report && (await readReportDirectory(report));
    const dockerfile = renderedDockerfile(project.renderer, target);
    const bases = await resolveBases(fromImages(dockerfile.content));
    const images: Container[] = [];
    let results: CheckResult[] = [];
    let build: BuildInputs = {};
    for (const platform of variants) {
      const opts = await testOptions({ smoke, extraCa, subscription, aptMirror, platform, sourceDateEpoch });
      build = opts.build;
      images.push(buildImage(project.renderer, target, opts.build));
      if (tested) continue;
      const checked = await testTargets(project, [target], opts, 1);
      runReport("", checked.results, true);
      assertPassed(checked.results);
      results.push(...checked.results);
    }
    if (tested) {
      const image = targetName(target);
      const checks = [IMAGE_BUILD.name, ...[...plans[0].imageChecks, ...plans[0].appChecks].map((c) => c.entry.name)];
      results = acceptTestedReport(tested, { image, checks, built: await Promise.all(images.map((i) => identifyImage(i, image))) });
      console.error(`[publish] ${image}: the checks of the report (${results.length}, started ${tested.started}) stand for this build: not run again`);
    }
    const pythonVersion = await pythonVersionOf(images[0]);
    const record = {
      target,
      dockerfile,
      bases,
      started,
      results,
      gitSha,
      sourceRepository,
      sourceDateEpoch,
      pythonVersion,
      ...buildRecordInputs(target, build),
    };
    const annotated = images.map((image) => withSourceAnnotations(image, record));
    const pushTags = tags.length ? tags : defaultTags(target, pythonVersion, gitSha);
    const refs = await publishTags(annotated, target, args, pushTags);
    if (blocked) return [...refs, blocked].join("\n");
    const repo = refs[0].replace(/:[^:/]+@sha256:.*$/, "");
    // The SBOMs are made from the images before the source annotations (their layers and config
    // are the same): a publish of the same build for another commit, or `sbom`, reuses the scan.
    const attached = await attachSupplyChain(
      images,
      repo,
      refs[0].split("@")[1],
      { ...record, finished: new Date() },
      {
        signKey,
        signKeyPassword,
        registryService,
        username,
        password,
        extraCa,
      },
    );
    return [...refs, attached].join("\n");
  }

  /**
   * Verify a published image with the publisher's public key: the signature of its digest, that
   * its provenance and every platform's SBOMs are signed and name that digest, that the SBOM's
   * Python is the image's own. Prints the source commit and the checks the image passed; fails
   * naming what did not verify. A tag is resolved to the digest it names now.
   */
  @func({ cache: "never" })
  async verifyPublished(
    /** The image: REGISTRY/NAME@sha256:... (or REGISTRY/NAME:TAG). */
    ref: string,
    /** The public key (cosign.pub) the image was signed with. */
    key: File,
    /** Registry user name, for a registry that needs a login to read. */
    username?: string,
    /** Registry password or token, e.g. env://REGISTRY_TOKEN. */
    password?: Secret,
    /** The registry as a service, for one on this machine's loopback, e.g. tcp://127.0.0.1:5000 (as for publish). */
    registryService?: Service,
    /** CA bundle (PEM), as for build; the tools' builds trust it too. */
    extraCa?: File,
  ): Promise<string> {
    return verifyPublished(await this.published(ref, { username, password, registryService, extraCa }), key);
  }

  /**
   * Whether a published image needs a rebuild because a base image moved: "rebuild: why" when a
   * base image its provenance records resolves to another digest now (or nothing, or no
   * provenance, is published there), else "current: ...". With --key, only a provenance signed
   * by that key counts.
   */
  @func({ cache: "never" })
  async needsRebuild(
    /** The published image, e.g. quay.io/myorg/python-312-minimal-c9s:latest. */
    ref: string,
    /** The public key its attestations must verify with (optional). */
    key?: File,
    /** Registry user name, for a registry that needs a login to read. */
    username?: string,
    /** Registry password or token, e.g. env://REGISTRY_TOKEN. */
    password?: Secret,
    /** The registry as a service, for one on this machine's loopback, e.g. tcp://127.0.0.1:5000 (as for publish). */
    registryService?: Service,
    /** CA bundle (PEM), as for build; the tools' builds trust it too. */
    extraCa?: File,
  ): Promise<string> {
    return rebuildCheck(await this.published(ref, { username, password, registryService, extraCa }), key);
  }

  /** A published reference and how the tool containers reach its registry. */
  private async published(ref: string, a: { username?: string; password?: Secret; registryService?: Service; extraCa?: File }) {
    validateRef(ref);
    if (Boolean(a.username) !== Boolean(a.password)) throw new UsageError("--username and --password go together");
    const host = registryHost(ref);
    if (a.registryService) validateTunnelHost(host);
    return { ref, access: { host, username: a.username, password: a.password, service: a.registryService, extraCa: a.extraCa } };
  }

  /** One target, with the build inputs checked against it before anything is built. */
  private async selectOneTarget(version: string, distro: string | undefined, inputs: { subscription?: Directory; aptMirror?: string; platform?: string }) {
    const project = await moduleProject(this.source);
    const targets = [selectOne(project.spec, version, distro)];
    planTargets(project, targets, { build: inputs });
    return { project, targets };
  }

  private async runTests(project: ModuleProject, targets: Target[], args: BuildArgs & AppArgs, concurrency: number, failOnError: boolean): Promise<Directory> {
    planTargets(project, targets, { imageOnly: args.imageOnly, smoke: args.smoke, apps: args.apps, build: args });
    const started = new Date().toISOString();
    const { results, images } = await testTargets(project, targets, await testOptions(args), concurrency);
    const report = runReport(started, results, failOnError, images);
    if (failOnError) assertPassed(results);
    return reportDirectory(report);
  }
}
