// The interpreter for the rendered test Dockerfiles: parsing is pure and needs no engine.
import test from "ava";
import { parseDockerfile } from "../ci/src/dagger/dockerfile.js";
import { project } from "./helpers/project.js";
import { testDockerfilePath } from "../ci/src/dagger/verify.js";

test("every rendered uwsgi/mod_wsgi Dockerfile parses with the supported subset", async (t) => {
  const { spec, renderer } = await project();
  let seen = 0;
  for (const target of spec.targets.filter((x) => x.version.minimal)) {
    const files = renderer.renderTarget(target);
    for (const kind of ["uwsgi", "mod_wsgi"] as const) {
      const f = files.find((x) => x.path === testDockerfilePath(target, kind));
      t.truthy(f, `${testDockerfilePath(target, kind)} is rendered`);
      const ins = parseDockerfile(f!.content, f!.path);
      t.is(ins[0].op, "ARG");
      t.true(ins.some((i) => i.op === "FROM" && /\$\{MINIMAL_IMAGE\}/.test(i.image)));
      t.is(ins.at(-1)!.op, "CMD");
      if (kind === "mod_wsgi") t.true(ins.some((i) => i.op === "COPY" && i.from === "builder" && i.src === "$APP_ROOT"));
      seen++;
    }
  }
  t.true(seen >= 10);
});

test("continuation lines are joined and shell/JSON forms are told apart", (t) => {
  const ins = parseDockerfile(['ARG A=x', 'FROM ${A} AS b', 'RUN echo 1 && \\', '    echo 2', 'CMD ["run", "now"]', 'ENV K=v L="a b"', "COPY --from=b /x /y"].join("\n"));
  t.deepEqual(ins.map((i) => i.op), ["ARG", "FROM", "RUN", "CMD", "ENV", "COPY"]);
  t.deepEqual((ins[2] as { args: string[] }).args, ["/bin/sh", "-c", "echo 1 && echo 2"]);
  t.deepEqual((ins[3] as { args: string[] }).args, ["run", "now"]);
  t.deepEqual((ins[4] as { vars: [string, string][] }).vars, [["K", "v"], ["L", "a b"]]);
});

test("an unsupported instruction is an error naming the file and line", (t) => {
  const err = t.throws(() => parseDockerfile("FROM x\nHEALTHCHECK CMD true\n", "t/uwsgi.Dockerfile.c9s"));
  t.regex(err!.message, /^t\/uwsgi\.Dockerfile\.c9s:2: instruction HEALTHCHECK is not supported/);
});
