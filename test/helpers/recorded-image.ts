/** What a good image reports of itself (its configuration, its interpreter), recorded for the judges' unit tests. */
import { expectedLabels, type ImageConfig, type InterpreterProbe } from "../../ci/src/verify/image-settings.js";
import type { Target } from "../../ci/src/spec/types.js";

/** The configuration of a good image of `t` (a 3.11 one: PYTHON_VERSION 3.11). */
export function recordedConfig(t: Target): ImageConfig {
  return {
    user: "1001",
    workdir: "/opt/app-root/src",
    exposedPorts: [{ port: 8080, protocol: "TCP" }],
    labels: {
      ...expectedLabels(t),
      "io.openshift.tags": "builder,python,python311,python-311,rh-python311",
      summary: "Minimal platform for building and running Python 3.11 applications",
    },
    env: {
      PYTHON_VERSION: "3.11",
      APP_ROOT: "/opt/app-root",
      HOME: "/opt/app-root/src",
      STI_SCRIPTS_PATH: "/usr/libexec/s2i",
      PATH: "/opt/app-root/bin:/opt/app-root/src/bin:/usr/bin",
    },
  };
}

/** What `python` on a good 3.11 image's PATH says of itself. */
export const RECORDED_PROBE: InterpreterProbe = {
  version: "3.11.2",
  prefix: "/opt/app-root",
  basePrefix: "/usr",
  python: "/opt/app-root/bin/python",
  pip: "/opt/app-root/bin/pip",
};
