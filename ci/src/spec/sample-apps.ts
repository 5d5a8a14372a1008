/** The one table of sample-app checks, specs/sample-apps.yml: its typed rows and their loader. */
import { SpecError } from "../errors.js";
import { Fields } from "./fields.js";
import { IMAGE_KINDS, type ImageKind } from "./types.js";
import type { SourceReader } from "./source.js";
import { readYaml } from "./yaml.js";

export const APPS_FILE = "specs/sample-apps.yml";

export type AppFlow = "s2i" | "s2i-incremental" | "uwsgi-minimal" | "mod-wsgi-multistage";
export const APP_FLOWS: readonly AppFlow[] = ["s2i", "s2i-incremental", "uwsgi-minimal", "mod-wsgi-multistage"];

/** One row of the sample-app check table (specs/sample-apps.yml). */
export interface SampleApp {
  name: string;
  dir: string;
  images: ImageKind[];
  flow: AppFlow;
  port: number;
  path: string;
  status: number;
  body: string;
  env: Record<string, string>;
  expect: "serve" | "build-fails";
  buildFailure?: { exitCode: number; message: string };
  smoke: boolean;
  /** Also check that the app stops on SIGTERM, each way it can be started. */
  stop: boolean;
  description: string;
}

/** Reads and validates specs/sample-apps.yml, the one table of sample-app checks. */
export async function loadSampleApps(source: SourceReader): Promise<SampleApp[]> {
  return parseSampleApps(await readYaml(source, APPS_FILE));
}

export function parseSampleApps(doc: unknown): SampleApp[] {
  const file = APPS_FILE;
  const top = Fields.of(file, "", doc);
  const apps = top.child("apps");
  top.done();
  return apps.keys().map((name) => {
    const f = apps.child(name);
    const images = f.stringList("images");
    images.forEach((img, i) => {
      if (!IMAGE_KINDS.includes(img as never)) throw new SpecError(file, `apps.${name}.images[${i}]`, `one of ${IMAGE_KINDS.join(", ")}`, img);
    });
    const expect = f.oneOf("expect", ["serve", "build-fails"] as const, "serve");
    const app: SampleApp = {
      name,
      dir: f.string("dir", /^test\/apps\/[A-Za-z0-9._-]+$/, "a folder under test/apps/"),
      images: images as SampleApp["images"],
      flow: f.oneOf("flow", APP_FLOWS, "s2i"),
      port: f.integer("port", 1, 65535),
      path: f.string("path", /^\//, "a URL path starting with /"),
      status: f.integer("status", 100, 599),
      body: f.string("body"),
      env: f.stringMap("env"),
      expect,
      buildFailure: undefined,
      smoke: f.optionalBoolean("smoke", false),
      stop: f.optionalBoolean("stop", false),
      description: f.optionalString("description") ?? "",
    };
    if (expect === "build-fails") {
      const bf = f.child("buildFailure");
      app.buildFailure = { exitCode: bf.integer("exitCode", 1, 255), message: bf.string("message") };
      bf.done();
    }
    f.done(["buildFailure"]);
    return app;
  });
}
