import type { Directory, File } from "@dagger.io/dagger";
import { UsageError } from "../../errors.js";
import { buildImage } from "../../build/engine/image-build.js";
import { buildInputs } from "../../build/engine/build-secrets.js";
import type { ModuleProject } from "../../spec/engine/module-project.js";
import type { Target } from "../../spec/types.js";
import { validateAppNames } from "../plan.js";
import { mapPool } from "../pool.js";
import type { CheckResult } from "../results.js";
import { newRunId } from "./check-entry.js";
import { ownDockerfileCheck } from "./checks.js";
import { runCheck } from "./run-checks.js";

/**
 * Sample apps built by Dockerfiles of the caller's (one folder per app in `contexts`, named by
 * the app) on the target's image, each judged by its row of specs/sample-apps.yml.
 */
export async function testDockerfiles(
  project: ModuleProject,
  target: Target,
  contexts: Directory,
  builder: string | undefined,
  extraCa: File | undefined,
): Promise<CheckResult[]> {
  const apps = (await contexts.entries()).map((e) => e.replace(/\/$/, ""));
  if (!apps.length) throw new UsageError("--contexts holds no folder; put one build context per sample app in it, named by the app");
  validateAppNames(project.apps, apps);
  const u = { project, target, image: buildImage(project.renderer, target, await buildInputs({ extraCa })), extraCa, runId: newRunId() };
  return mapPool(apps, 3, (name) =>
    runCheck(
      u,
      ownDockerfileCheck(
        project.apps.find((a) => a.name === name)!,
        contexts.directory(name),
        builder,
      ),
    ),
  );
}
