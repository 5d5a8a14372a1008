/**
 * The red-test table: for every check of the report (every entry of ci/src/verify/engine/checks.ts
 * and every row of specs/sample-apps.yml), a defect that turns it red. A defect breaks one thing
 * in a copy of the checkout (the image, an app, or what the table expects of it); `red` names
 * each check that must then fail (the check and the ones that depend on the same thing) and
 * what its report must say. Everything else that applies must still pass.
 *
 * Defects are grouped into calls, one `test` call each on one image (3.11-minimal on debian12,
 * or the full 3.11 where a check is full-only), narrowed to the apps the defects need
 * (--image-only when none): the defects of a call break disjoint sets of checks. Image defects
 * are added at the end of the Dockerfile, so only the last layers are built again; the
 * wrong-body defects change only what the table expects, so the apps' builds come from the
 * engine's cache and only their runs are new. A call may build with an https apt mirror, the
 * only Debian build that reads the extra CA.
 *
 * test/red-tests.test.ts holds this table to the registry (a check without a red test fails
 * the unit tests) and applies every edit to a copy; test/engine/red-green.test.ts runs it.
 */
import { addFile, atImageEnd, editFile } from "./broken-checkout.js";

/**
 * What every run of an app reports when the app fails its own request (HTTP 500) instead of
 * saying in its body what is wrong: the checks judge the status before the body.
 */
const ALL_RUNS_500 = "init wrapper: expected HTTP 200, got 500; uid 100001: expected HTTP 200, got 500; uid 12345: expected HTTP 200, got 500";
const bodyOr500 = (body: RegExp) => new RegExp(`${body.source}|^${ALL_RUNS_500}$`);

export interface Defect {
  /** What is broken, in words. */
  name: string;
  /** The edit of a copy of the checkout (specs/, templates/, test/apps/); throws when it changes nothing. */
  edit(root: string): Promise<number>;
  /** The apps the defect needs in the call (none: the image checks alone). */
  apps?: string[];
  /** Each check that must fail, with what its report must say (its "got"). */
  red: Record<string, RegExp>;
  /** The image does not build: every other check that applies must be reported not-run. */
  stopsTheRun?: boolean;
}

export interface RedCall {
  /** The version key, on debian12. */
  version: "3.11-minimal" | "3.11";
  /** --apt-mirror of the call's build (its green run too): a Debian build reads the extra CA only from an https mirror. */
  aptMirror?: string;
  defects: Defect[];
}

export const RED_DISTRO = "debian12";

const MINIMAL = "minimal-deb.Dockerfile.hbs";
const TABLE = "specs/sample-apps.yml";

/** Rewrites one field of an app's row of specs/sample-apps.yml. */
function tableField(root: string, app: string, field: string, value: string): Promise<number> {
  return editFile(root, TABLE, (text) =>
    text.replace(new RegExp(`(\\n  ${app}:\\n(?:    .*\\n|\\s*\\n)*?    ${field}: ).*`), (_, head: string) => `${head}${value}`),
  );
}

/** A served app of the table that now expects a body the app never sends: a 200 with the wrong body. */
function wrongBody(app: string): Defect {
  return {
    name: `${app}: the table expects a body the app never sends`,
    edit: (root) => tableField(root, app, "body", `"${app}: an answer this app never gives"`),
    apps: [app],
    red: { [app]: /expected the body to contain "[^"]*an answer this app never gives", got "/ },
  };
}

/** The file of a template that a defect rewrites. */
const template = (path: string) => `templates/${path}`;

export const RED_CALLS: RedCall[] = [
  {
    // The image's settings and scripts, each broken in its own way; the image checks only.
    version: "3.11-minimal",
    defects: [
      {
        name: "a name label of another image",
        edit: (root) => editFile(root, template(`dockerfile/${MINIMAL}`), (t) => t.replace('name="{{imageName}}"', 'name="sclorg/python-wrong"')),
        red: { "image config: labels name this image and its Python": /^name="sclorg\/python-wrong"$/ },
      },
      {
        name: "no EXPOSE 8080",
        edit: (root) => editFile(root, template(`dockerfile/${MINIMAL}`), (t) => t.replace("EXPOSE 8080\n", "")),
        red: { "image config: WORKDIR and EXPOSE 8080": /^the exposed ports are none$/ },
      },
      {
        name: "a usage script that exits 1",
        edit: (root) => editFile(root, template("s2i/bin/usage.hbs"), () => "#!/bin/sh\nexit 1\n"),
        red: { "usage exits 0": /^exit 1$/ },
      },
      {
        name: "fix-permissions that leaves files in their group",
        edit: (root) => editFile(root, template("root/usr/bin/fix-permissions.hbs"), (t) => t.replace("walk_owned ! -gid 0 -exec chgrp 0 {} +\n", "")),
        red: { "fix-permissions as root: group 0, g+rw, links untouched": /^tree, sub, sub\/file, exe, odd: .*:1234/ },
      },
      {
        name: "generate_container_user without NSS_WRAPPER_GROUP",
        edit: (root) =>
          editFile(root, template("root/opt/app-root/etc/generate_container_user.hbs"), (t) => t.replace("        export NSS_WRAPPER_GROUP=/etc/group\n", "")),
        red: { "generate_container_user: a passwd entry for uid 12345 only": /G=unset/ },
      },
      {
        name: "a time zone other than UTC",
        edit: (root) => atImageEnd(root, MINIMAL, "ENV TZ=EST5EDT"),
        red: { "docker-library: UTC": /^E[SD]T$/ },
      },
      {
        // Last: it rewrites the final USER 1001 that the edits above insert before.
        name: "USER 0 in the image",
        edit: (root) => editFile(root, template(`dockerfile/${MINIMAL}`), (t) => t.replace(/\nUSER 1001\n(\nCMD [^\n]*\n)$/, "\nUSER 0\n$1")),
        red: { "image config: USER is 1001": /^USER is "0": root$/ },
      },
    ],
  },
  {
    // The interpreter, the libraries and the image's contents, each broken in its own way; the image checks only.
    version: "3.11-minimal",
    defects: [
      {
        name: "an ENTRYPOINT that runs usage whatever the command",
        edit: (root) => atImageEnd(root, MINIMAL, 'ENTRYPOINT ["/usr/libexec/s2i/usage"]'),
        red: { "docker-library: override CMD": /source-to-image/ },
      },
      {
        name: "no _sqlite3 module",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN rm /usr/lib/python3.*/lib-dynload/_sqlite3*.so"),
        red: { "docker-library: sqlite3": /^exit 1: ModuleNotFoundError: No module named '_sqlite3'$/ },
      },
      {
        name: "no _gdbm module",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN rm /usr/lib/python3.*/lib-dynload/_gdbm*.so"),
        // Debian's Python names the package to install: "ImportError: No module named '_gdbm', please install ...".
        red: { "docker-library: python imports": /^exit 1: (ModuleNotFoundError|ImportError): No module named '_gdbm'/ },
      },
      {
        name: "bytecode compiled into the virtual environment",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN /opt/app-root/bin/python -m compileall -q /opt/app-root/lib"),
        red: { "docker-library: no stray bytecode": /^found \/opt\/app-root\/lib\/.*\.pyc/ },
      },
      {
        name: "no /etc/shadow",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN rm /etc/shadow"),
        red: { "docker-library: no hard-coded passwords": /^\/etc\/shadow is missing$/ },
      },
      {
        name: "a 64 KiB thread stack for every python of the virtual environment",
        edit: (root) =>
          atImageEnd(
            root,
            MINIMAL,
            `RUN for d in /opt/app-root/lib/python3*/site-packages; do echo 'import threading; threading.stack_size(65536)' > "$d/zz-thread-stack.pth"; done`,
          ),
        // The 64 KiB stack overflows before Python can raise: a segmentation fault (139).
        red: { "docker-library: thread stack size": /^exit( code:)? 139\b/ },
      },
      {
        name: "a 32-bit personality for every python of the virtual environment",
        edit: (root) =>
          atImageEnd(
            root,
            MINIMAL,
            `RUN for d in /opt/app-root/lib/python3*/site-packages; do echo 'import ctypes; ctypes.CDLL(None).personality(8)' > "$d/zz-linux32.pth"; done`,
          ),
        red: { "runs on its platform": /^uname -m i686, ELF machine 62$/ },
      },
      {
        name: "PYTHON_VERSION of another Python",
        edit: (root) => atImageEnd(root, MINIMAL, "ENV PYTHON_VERSION=3.12"),
        red: {
          "python --version": /^the image's PYTHON_VERSION is "3\.12"$/,
          "image config: PYTHON_VERSION, PATH and APP_ROOT match the interpreter":
            /^PYTHON_VERSION="3\.12"; python on PATH is 3\.11\.\d+, PYTHON_VERSION says 3\.12$/,
        },
      },
      {
        name: "a package index that does not answer",
        edit: (root) => atImageEnd(root, MINIMAL, "ENV PIP_INDEX_URL=https://pypi.invalid/simple/"),
        red: { "docker-library: pip and requests over TLS": /^exit 1: .*returned non-zero exit status 1\.$/ },
      },
      {
        name: "fix-permissions that changes files of other users",
        edit: (root) => editFile(root, template("root/usr/bin/fix-permissions.hbs"), (t) => t.replace(' ! -type l -uid "$uid" "$@"', ' ! -type l "$@"')),
        red: { "fix-permissions as uid 12345: only its own files": /Operation not permitted/ },
      },
      {
        name: "a run script that exits 1",
        edit: (root) => editFile(root, template("s2i/bin/run.hbs"), () => "#!/bin/bash\nexit 1\n"),
        red: { "run as uid 12345: a user name before the app starts": /^exit 1: ""$/ },
      },
    ],
  },
  {
    version: "3.11-minimal",
    defects: [
      {
        name: "a build step that fails",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN exit 3"),
        red: { "image build": /exit code: 3/ },
        stopsTheRun: true,
      },
    ],
  },
  {
    // Alone with its app: without the locale every app's shell warns, so other apps would go red too.
    version: "3.11-minimal",
    defects: [
      {
        name: "no en_US.UTF-8 locale",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN rm -r /usr/lib/locale/en_US.utf8"),
        apps: ["locale"],
        red: {
          locale: /^init wrapper: expected HTTP 200, got 500; uid 100001: expected HTTP 200, got 500; uid 12345: expected HTTP 200, got 500$/,
          // The shell warns that LC_ALL names a locale it cannot set, and fix-permissions must print nothing.
          "fix-permissions as root: group 0, g+rw, links untouched": /setlocale: LC_ALL: cannot change locale/,
          "fix-permissions as uid 12345: only its own files": /setlocale: LC_ALL: cannot change locale/,
        },
      },
    ],
  },
  {
    // Apps broken in what they prove (they build again), and uv syncing a stale lock.
    version: "3.11-minimal",
    defects: [
      {
        name: "setup.py processing turned off",
        edit: (root) => addFile(root, "test/apps/setup/.s2i/environment", "DISABLE_SETUP_PY_PROCESSING=true\n"),
        apps: ["setup"],
        red: {
          setup: bodyOr500(
            /expected the body to contain "setup: setupdemo 1\.0\.0 is the installed copy, not editable", got "setup: setupdemo is not importable/,
          ),
        },
      },
      {
        name: "the editable install written as a regular one",
        edit: (root) => editFile(root, "test/apps/setup-requirements/requirements.txt", (t) => t.replace("-e .\n", ".\n")),
        apps: ["setup-requirements"],
        red: {
          "setup-requirements": bodyOr500(
            /got "setup-requirements: setupreqdemo 1\.0\.0 is installed in \/opt\/app-root\/lib\/\S* \(editable project location: None\)/,
          ),
        },
      },
      {
        name: "a gunicorn other than the one requirements.txt pins",
        edit: (root) => editFile(root, "test/apps/standalone/requirements.txt", (t) => t.replace("gunicorn==23.0.0", "gunicorn==22.0.0")),
        apps: ["standalone"],
        red: { standalone: bodyOr500(/got "standalone: gunicorn 22\.0\.0 is imported from/) },
      },
      {
        name: "the pipenv app built by micropipenv",
        edit: (root) => editFile(root, "test/apps/pipenv/.s2i/environment", (t) => t.replace("ENABLE_PIPENV=true", "ENABLE_MICROPIPENV=true")),
        apps: ["pipenv"],
        red: { pipenv: bodyOr500(/got "pipenv: assemble installed micropipenv, not pipenv alone/) },
      },
      {
        name: "a build-fails app that builds: ENABLE_MICROPIPENV left out",
        edit: (root) => editFile(root, "test/apps/pipenv-and-micropipenv-should-fail/.s2i/environment", (t) => t.replace(/^ENABLE_MICROPIPENV=.*\n/m, "")),
        apps: ["pipenv-and-micropipenv-should-fail"],
        red: { "pipenv-and-micropipenv-should-fail": /^expected the build to fail with exit 3, but it succeeded$/ },
      },
      {
        // The app's own PATH leaves out the virtual environment: bash -c and sh -ic activate it, sh -c does not.
        name: "an app environment whose PATH leaves out the virtual environment",
        edit: (root) => editFile(root, "test/apps/app-module/.s2i/environment", (t) => `${t.trimEnd()}\nPATH=/usr/local/bin:/usr/bin:/bin\n`),
        apps: ["app-module"],
        red: { "app-module": /sh -c: python is ""; sh -c: python --version says "[^"]*python: command not found"/ },
      },
      {
        // uv syncing without --locked quietly locks the stale project again instead of failing.
        name: "uv without --locked",
        edit: (root) => editFile(root, template("partials/assemble/uv.sh.hbs"), (t) => t.replace(/ --locked\b/g, "")),
        apps: ["uv-stale-lock"],
        red: { "uv-stale-lock": /^expected the build to fail with exit 1, but it succeeded$/ },
      },
    ],
  },
  {
    // Alone with one app: dash as /bin/sh breaks the shell-form stop of every app that serves.
    version: "3.11-minimal",
    defects: [
      {
        // Debian's dash stays PID 1 of `sh -c run` and drops SIGTERM: the stop of the shell-form CMD is killed.
        name: "dash as /bin/sh",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN ln -sf dash /usr/bin/sh"),
        apps: ["app-home"],
        red: { "app-home": /^shell-form CMD: still running 10 s after SIGTERM, killed/ },
      },
    ],
  },
  {
    // The lock files and the incremental build, each broken in the assemble or save-artifacts script.
    version: "3.11-minimal",
    defects: [
      {
        // pip installs the project from pyproject.toml, unpinned: what uv-src-layout-without-uv expects on purpose.
        name: "an assemble that ignores uv.lock",
        edit: (root) => editFile(root, template("s2i/bin/assemble.hbs"), (t) => t.replace(/^elif \[\[ -f uv\.lock && .*$/m, "elif false; then")),
        apps: ["uv-src-layout"],
        red: { "uv-src-layout": bodyOr500(/got "uv-src-layout: not as uv\.lock pins them: gunicorn /) },
      },
      {
        // pip 26.1 and later read pylock.toml; a version test no pip passes leaves it to uv.
        name: "a pip version test that no pip passes for pylock.toml",
        edit: (root) =>
          editFile(root, template("partials/assemble/uv.sh.hbs"), (t) =>
            t.replace("(( BASH_REMATCH[1] > 26 || (BASH_REMATCH[1] == 26 && BASH_REMATCH[2] >= 1) ))", "(( BASH_REMATCH[1] > 999 ))"),
          ),
        apps: ["pylock-pip"],
        red: { "pylock-pip": /got "pylock: 2 packages installed by (pip and )?uv as pylock\.toml pins them/ },
      },
      {
        name: "a save-artifacts that archives the virtual environment's bin besides the caches",
        edit: (root) =>
          editFile(root, template("s2i/bin/save-artifacts.hbs"), (t) =>
            t.replace('for name in "${download_caches[@]}"; do\n', 'tar -rf "$archive" -C "$APP_ROOT" bin\n$&'),
          ),
        apps: ["django-incremental"],
        red: { "django-incremental": /^save-artifacts archived more than the download caches: bin\// },
      },
    ],
  },
  {
    // What the table expects of the other apps, changed: their builds come from the cache.
    version: "3.11-minimal",
    defects: [
      ...[
        "quoted-environment",
        "django",
        "gunicorn-config-different-port",
        "gunicorn-python-configfile-different-port",
        "numpy",
        "standalone-custom-pypi-index",
        "micropipenv",
        "pyuwsgi-pipenv",
        "uwsgi-minimal",
        "mod-wsgi-multistage",
        "uv-src-layout-without-uv",
        "pylock",
      ].map(wrongBody),
      {
        name: "django-different-port: the table expects HTTP 201",
        edit: (root) => tableField(root, "django-different-port", "status", "201"),
        apps: ["django-different-port"],
        red: {
          "django-different-port": /^init wrapper: expected HTTP 201, got 200; uid 100001: expected HTTP 201, got 200; uid 12345: expected HTTP 201, got 200$/,
        },
      },
      {
        name: "gunicorn-different-port: a stop limit no server meets",
        edit: (root) => editFile(root, TABLE, (t) => t.replace(/(\n {2}gunicorn-different-port:\n)/, "$1    stopWithin: 0.001\n")),
        apps: ["gunicorn-different-port"],
        red: { "gunicorn-different-port": /^shell-form CMD: stopped in [\d.]+ s, over the limit of 0\.001 s \(status (0|143), PID 1: / },
      },
    ],
  },
  {
    version: "3.11",
    defects: [
      "setup-cfg",
      "poetry-src-layout",
      "npm-virtualenv-uwsgi",
      "pin-pipenv-version",
      "mod-wsgi",
      "micropipenv-requirements",
      "django-dockerfile-assemble",
      "django-dockerfile-pip",
    ].map(wrongBody),
  },
  {
    // The build is given the extra CA only where it reads it (buildReadsExtraCa): on Debian, for
    // an https apt mirror. A step that keeps it in the image is a fault of such a build.
    version: "3.11-minimal",
    aptMirror: "https://deb.debian.org",
    defects: [
      {
        name: "the extra CA appended to the system bundle",
        edit: (root) => atImageEnd(root, MINIMAL, "RUN --mount=type=secret,id=extra-ca cat /run/secrets/extra-ca >> /etc/ssl/certs/ca-certificates.crt"),
        red: { "no extra CA in the image": /^the system CA bundle holds \d+ certificate\(s\) of the extra CA bundle that the distro does not ship$/ },
      },
    ],
  },
];
