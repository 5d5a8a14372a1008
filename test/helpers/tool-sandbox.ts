// A sandbox for assemble's dependency installers (test/helpers/s2i-sandbox.ts's sandbox, with more
// fakes): pip and uv log their arguments and the variables that steer them; the fake pip
// downloads a uv wheel holding the fake uv when assemble asks it for uv (`pip download --dest DIR uv...`).
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { hostPython, sandbox, write } from "./s2i-sandbox.js";

/** The variables the fakes report, in this order, when they are set. */
export const TOOL_VARIABLES = ["UV_PROJECT_ENVIRONMENT", "UV_DEFAULT_INDEX", "UV_INDEX_URL", "SSL_CERT_FILE", "UV_NO_CACHE", "PIP_NO_CACHE_DIR"];

export function toolSandbox(name: string) {
  const box = sandbox(name);
  const report = `for v in ${TOOL_VARIABLES.join(" ")}; do eval "x=\\\${$v+set}"; [ -n "$x" ] && eval "printf ' %s=%s' \\"\\$v\\" \\"\\\${$v}\\""; done`;
  const fakeUv = path.join(box.dir, "uv-fake");
  write(
    fakeUv,
    `#!/bin/bash
if [[ "$1" == --version ]]; then echo "uv 0.0.0"; exit 0; fi
printf 'uv %s |' "$*" >> "${box.log}"; { ${report}; echo; } >> "${box.log}"
if [[ -n "$FAKE_UV_STALE" && " $* " == *" --locked "* ]]; then
  echo "error: The lockfile at \\\`uv.lock\\\` needs to be updated, but \\\`--locked\\\` was provided." >&2
  exit 1
fi
`,
    0o755,
  );
  const fakeWheel = path.join(box.dir, "uv-0.0.0-py3-none-any.whl");
  uvWheel(fakeWheel, fakeUv);
  write(
    path.join(box.fakeBin, "pip"),
    `#!/bin/bash
if [[ "$1" == --version ]]; then echo "pip \${FAKE_PIP_VERSION:-23.0.1} from /x (python 3.11)"; exit 0; fi
printf 'pip %s |' "$*" >> "${box.log}"; { ${report}; echo; } >> "${box.log}"
if [[ "$1" == download && "$*" == *" uv>=0.8" ]]; then
  all="$*"; dest=\${all#*--dest }; dest=\${dest%% *}
  mkdir -p "$dest" && cp "${fakeWheel}" "$dest/"
fi
`,
    0o755,
  );
  const tmp = path.join(box.dir, "tmp");
  fs.mkdirSync(tmp, { mode: 0o777 });
  const src = path.join(box.dir, "src");
  const files = (names: string[]) => {
    for (const f of names) write(path.join(src, f), `${f}\n`);
  };
  // The scratch folder's random name, as "<scratch>", and the sandbox's paths by their names.
  const calls = () =>
    box
      .calls()
      .replace(new RegExp(`${tmp}/assemble\\.[A-Za-z0-9]+`, "g"), "<scratch>")
      .replaceAll(box.appRoot, "<app-root>")
      .replaceAll(box.home, "<home>");
  /** The pip and uv calls alone, one per line, in order. */
  const toolCalls = () =>
    calls()
      .split("\n")
      .filter((l) => /^(pip|uv) /.test(l));
  const env: NodeJS.ProcessEnv = { ...box.env, TMPDIR: tmp, S2I_SOURCE_DIR: src };
  return { ...box, tmp, src, files, calls, toolCalls, env };
}

/** A wheel of uv as PyPI's are laid out for what assemble reads of it: a zip archive with the executable `uv` (here `executable`) under uv-VERSION.data/scripts/. */
export function uvWheel(file: string, executable: string): void {
  const zip = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.write(sys.argv[2], 'uv-0.0.0.data/scripts/uv')";
  const r = spawnSync(hostPython, ["-c", zip, file, executable], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`writing the uv wheel ${file} failed: ${r.stderr}`);
}
