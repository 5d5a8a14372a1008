// The interpreter for the rendered test Dockerfiles: parsing is pure and needs no engine.
import test from "ava";
import { parseDockerfile, testDockerfilePath } from "../ci/src/verify/dockerfile-parse.js";
import { project } from "./helpers/project.js";

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
  const ins = parseDockerfile(
    ["ARG A=x", "FROM ${A} AS b", "RUN echo 1 && \\", "    echo 2", 'CMD ["run", "now"]', 'ENV K=v L="a b"', "COPY --from=b /x /y"].join("\n"),
  );
  t.deepEqual(
    ins.map((i) => i.op),
    ["ARG", "FROM", "RUN", "CMD", "ENV", "COPY"],
  );
  t.deepEqual((ins[2] as { args: string[] }).args, ["/bin/sh", "-c", "echo 1 && echo 2"]);
  t.deepEqual((ins[3] as { args: string[] }).args, ["run", "now"]);
  t.deepEqual((ins[4] as { vars: unknown }).vars, [
    { name: "K", value: "v", expand: false },
    { name: "L", value: "a b", expand: false },
  ]);
});

test("the Dockerfile `s2i build --as-dockerfile` writes: quoted LABEL keys, escaped ENV values, shell-form CMD", (t) => {
  const text = [
    "FROM localhost/python-311-minimal:latest",
    'LABEL "io.openshift.s2i.build.image"="localhost/python-311-minimal:latest" \\',
    '      "io.openshift.s2i.build.source-location"="/tmp/app"',
    'ENV APP_MODULE="\\"pkg.mod:app\\"" DOLLAR="\\$HOME/x" PATH_TOO="$HOME/bin"',
    "USER root",
    "COPY upload/src /tmp/src",
    "RUN chown -R 1001:0 /tmp/src",
    "USER 1001",
    "RUN /usr/libexec/s2i/assemble",
    "CMD /usr/libexec/s2i/run",
  ].join("\n");
  const ins = parseDockerfile(text);
  t.deepEqual(
    ins.map((i) => i.op),
    ["FROM", "LABEL", "ENV", "USER", "COPY", "RUN", "USER", "RUN", "CMD"],
  );
  t.deepEqual((ins[1] as { labels: unknown }).labels, [
    ["io.openshift.s2i.build.image", "localhost/python-311-minimal:latest"],
    ["io.openshift.s2i.build.source-location", "/tmp/app"],
  ]);
  t.deepEqual((ins[2] as { vars: unknown }).vars, [
    { name: "APP_MODULE", value: '"pkg.mod:app"', expand: false },
    { name: "DOLLAR", value: "$HOME/x", expand: false },
    { name: "PATH_TOO", value: "$HOME/bin", expand: true },
  ]);
  t.deepEqual((ins[8] as { args: string[] }).args, ["/bin/sh", "-c", "/usr/libexec/s2i/run"]);
});

test("an unsupported instruction is an error naming the file and line", (t) => {
  const err = t.throws(() => parseDockerfile("FROM x\nHEALTHCHECK CMD true\n", "t/uwsgi.Dockerfile.c9s"));
  t.regex(err!.message, /^t\/uwsgi\.Dockerfile\.c9s:2: instruction HEALTHCHECK is not supported/);
});
