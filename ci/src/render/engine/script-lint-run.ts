import { dag, ReturnType } from "@dagger.io/dagger";
import { LINT_PACKAGES, lintFiles, type LintItem } from "../script-lint.js";

/** Debian from the registry the engine pulls from (here: the local mirror of docker.io). */
export const LINT_IMAGE = "docker.io/library/debian:bookworm-slim";

/** Runs the lint script over the items in a Debian container with shellcheck and python3; its output, whatever its exit status. */
export async function runLint(items: LintItem[]): Promise<string> {
  let dir = dag.directory();
  for (const [path, content] of Object.entries(lintFiles(items))) dir = dir.withNewFile(path, content);
  const c = dag
    .container()
    .from(LINT_IMAGE)
    .withEnvVariable("DEBIAN_FRONTEND", "noninteractive")
    .withExec(["sh", "-c", `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${LINT_PACKAGES.join(" ")} >/dev/null`])
    .withDirectory("/lint", dir)
    .withExec(["sh", "/lint/lint.sh"], { expect: ReturnType.Any });
  return c.stdout();
}
