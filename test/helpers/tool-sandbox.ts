// A sandbox for assemble's dependency installers (test/helpers/s2i-sandbox.ts's sandbox, with more
// fakes): pip and uv log their arguments and the variables that steer them; the fake pip
// installs the fake uv when assemble asks it for uv (`pip install --target DIR uv...`).
import fs from "node:fs";
import path from "node:path";
import { sandbox, write } from "./s2i-sandbox.js";

/** The variables the fakes report, in this order, when they are set. */
export const TOOL_VARIABLES = ["UV_PROJECT_ENVIRONMENT", "UV_DEFAULT_INDEX", "UV_INDEX_URL", "SSL_CERT_FILE", "UV_NO_CACHE", "PIP_NO_CACHE_DIR"];

export function toolSandbox(name: string) {
  const box = sandbox(name);
  const report = `for v in ${TOOL_VARIABLES.join(" ")}; do eval "x=\\\${$v+set}"; [ -n "$x" ] && eval "printf ' %s=%s' \\"\\$v\\" \\"\\\${$v}\\""; done`;
  const fakeUv = path.join(box.dir, "uv-fake");
  write(
    fakeUv,
    `#!/bin/bash
printf 'uv %s |' "$*" >> "${box.log}"; { ${report}; echo; } >> "${box.log}"
if [[ -n "$FAKE_UV_STALE" && " $* " == *" --locked "* ]]; then
  echo "error: The lockfile at \\\`uv.lock\\\` needs to be updated, but \\\`--locked\\\` was provided." >&2
  exit 1
fi
`,
    0o755,
  );
  write(
    path.join(box.fakeBin, "pip"),
    `#!/bin/bash
if [[ "$1" == --version ]]; then echo "pip \${FAKE_PIP_VERSION:-23.0.1} from /x (python 3.11)"; exit 0; fi
printf 'pip %s |' "$*" >> "${box.log}"; { ${report}; echo; } >> "${box.log}"
if [[ "$*" == *"--target "*" uv>=0.8" ]]; then
  all="$*"; target=\${all#*--target }; target=\${target%% *}
  mkdir -p "$target/bin" && cp "${fakeUv}" "$target/bin/uv"
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
  const env: NodeJS.ProcessEnv = { ...box.env, TMPDIR: tmp, S2I_SOURCE_DIR: src };
  return { ...box, tmp, src, files, calls, env };
}
