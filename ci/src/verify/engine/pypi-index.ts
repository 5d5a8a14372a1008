import type { Container, Directory, Service } from "@dagger.io/dagger";
import { PYPI_PORT, WHEEL_SCRIPT } from "../pypi-wheel.js";
import { servedOn } from "./probe.js";

/** A package index serving one project's wheel, run from the image under test (it has Python). */
export function pypiIndexService(image: Container, project: Directory): Service {
  const index = image
    .withUser("0")
    .withDirectory("/tmp/pkg", project)
    .withExec(["python3", "-c", WHEEL_SCRIPT, "/tmp/pkg", "/tmp/index"])
    .withWorkdir("/tmp/index");
  return servedOn(index, PYPI_PORT).asService({ args: ["python3", "-m", "http.server", String(PYPI_PORT), "--bind", "0.0.0.0"] });
}
