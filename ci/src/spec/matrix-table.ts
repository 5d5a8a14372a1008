import { baseImage, imageName, targetImageName } from "./image.js";
import { dockerfilePath } from "./select.js";
import type { Target } from "./types.js";

export interface MatrixRow {
  version: string;
  distro: string;
  image: "full" | "minimal";
  dockerfile: string;
  from: string;
  name: string;
  /** The name publish pushes it under (python-311-minimal-debian12). */
  publishName: string;
  default: boolean;
}

export function matrixRows(targets: Target[]): MatrixRow[] {
  return targets.map((t) => ({
    version: t.version.key,
    distro: t.distro.id,
    image: t.version.minimal ? "minimal" : "full",
    dockerfile: dockerfilePath(t),
    from: baseImage(t),
    name: imageName(t),
    publishName: targetImageName(t),
    default: t.version.defaultDistro === t.distro.id,
  }));
}

/** A plain aligned table; "*" marks the distro used when only --version is given. */
export function matrixTable(rows: MatrixRow[]): string {
  const header = ["VERSION", "DISTRO", "IMAGE", "DOCKERFILE", "FROM", "NAME"];
  const body = rows.map((r) => [r.version, r.distro + (r.default ? " *" : ""), r.image, r.dockerfile, r.from, r.name]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [fmt(header), ...body.map(fmt), `${rows.length} targets; * = default distro of the version`].join("\n");
}
