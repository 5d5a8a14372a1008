// The pure parts of build and publish: tags, image names, one-line push failures, and the
// hint for a package that no enabled repository has.
import test from "ava";
import { buildFailureHint, missingPackage } from "../ci/src/build/failure-hint.js";
import { defaultTags, pushFailure } from "../ci/src/publish/tags.js";
import { targetImageName } from "../ci/src/spec/image.js";
import { selectOne } from "../ci/src/spec/select.js";
import { project } from "./helpers/project.js";

test("image names come from the target", async (t) => {
  const { spec } = await project();
  t.is(targetImageName(selectOne(spec, "3.12-minimal", "c9s")), "python-312-minimal-c9s");
  t.is(targetImageName(selectOne(spec, "3.11", "debian12")), "python-311-debian12");
  t.is(targetImageName(selectOne(spec, "3.13", "fedora")), "python-313-fedora42");
});

test("default tags: the full Python version, the key, the distro, latest and the date-sha", async (t) => {
  const { spec } = await project();
  const target = selectOne(spec, "3.12-minimal", "c9s");
  const now = new Date("2026-11-28T10:20:30Z");
  t.deepEqual(defaultTags(target, "3.12.9", "0123456789abcdef", now), ["3.12.9", "3.12-minimal", "c9s", "latest", "20261128-0123456"]);
  t.deepEqual(defaultTags(target, "3.12.9", undefined, now), ["3.12.9", "3.12-minimal", "c9s", "latest", "20261128102030"]);
});

test("a refused push is one line that says why", (t) => {
  const ref = "127.0.0.1:5001/s2i/python-311-debian12:latest";
  const auth = pushFailure(
    ref,
    new Error("failed to push 127.0.0.1:5001/s2i/x: unexpected status from HEAD request: 401 Unauthorized [traceparent:00-1a-2b]\nmore"),
  );
  t.is(auth, `push of ${ref} failed: the registry refused the credentials; nothing was tagged by this push`);
  const down = pushFailure(ref, new Error("failed to do request: Head http://127.0.0.1:5999/v2/: dial tcp 127.0.0.1:5999: connect: connection refused"));
  t.is(down, `push of ${ref} failed: the registry is not reachable; nothing was tagged by this push`);
  // As the engine reported a registry killed in the middle of a push (test/faults/registry-mid-push.test.ts).
  const gone = pushFailure(ref, new Error('failed to do request: Post "http://127.0.0.1:5002/v2/s2i-fault/x/blobs/uploads/": EOF'));
  t.is(gone, `push of ${ref} failed: the registry went away during the push (EOF); nothing was tagged by this push`);
  // The registry killed after a layer was mounted: the report cut Go's text at "http: serv"; this is
  // the Go HTTP client's error for a connection the server closed, the one its text starts so.
  const closed = pushFailure(
    ref,
    new Error(
      'pushing with mount from s2i-test/x: failed to do request: Post "http://127.0.0.1:5002/v2/s2i-fault/x/blobs/uploads/?mount=sha256:d3&from=s2i-test/x": http: server closed idle connection',
    ),
  );
  t.is(closed, `push of ${ref} failed: the registry went away during the push (server closed idle connection); nothing was tagged by this push`);
  const refused = pushFailure(
    ref,
    new Error('failed to do request: Post "http://127.0.0.1:5002/v2/s2i-fault/x/blobs/uploads/": dial tcp 127.0.0.1:5002: connect: connection refused'),
  );
  t.is(refused, `push of ${ref} failed: the registry went away during the push (it no longer answers); nothing was tagged by this push`);
  // Killed while a response body was read (the .ci/run of 761df90): a short read, the body cut off.
  const cut = pushFailure(ref, new Error("short read: expected 32 bytes but got 0: unexpected EOF"));
  t.is(cut, `push of ${ref} failed: the registry went away during the push (unexpected EOF); nothing was tagged by this push`);
  t.false(pushFailure(ref, new Error("something else\nsecond line")).includes("\n"));
});

test("a package no enabled repository has is named, and RHEL targets are told to pass a subscription", async (t) => {
  const { spec } = await project();
  t.is(missingPackage("Last metadata expiration check: 0:00:01 ago\nNo match for argument: mod_ldap\nError: Unable to find a match: mod_ldap"), "mod_ldap");
  t.is(missingPackage("error: No package matches 'python3.14-devel'"), "python3.14-devel");
  t.is(missingPackage("E: Unable to locate package python3.15"), "python3.15");
  t.is(missingPackage("all fine"), undefined);
  const rhel = buildFailureHint(selectOne(spec, "3.12", "rhel9"), new Error('process "/bin/sh -c ..." did not complete: No match for argument: mod_session'));
  t.is(
    rhel,
    "3.12 on rhel9: package mod_session is in no enabled repository; UBI content alone does not have it, so this target needs a Red Hat subscription (--subscription DIR)",
  );
  t.is(buildFailureHint(selectOne(spec, "3.12", "c9s"), new Error("something else broke")), undefined);
});

test("a certificate the build cannot verify is named, with what to pass", async (t) => {
  const { spec } = await project();
  const apt =
    "Err:1 https://deb.debian.org/debian bookworm InRelease\n  Certificate verification failed: The certificate is NOT trusted. The certificate issuer is unknown.  Could not handshake: Error in the certificate verification. [IP: 10.0.0.1 443]\nE: Failed to fetch";
  const hint = buildFailureHint(selectOne(spec, "3.11-minimal", "debian12"), new Error(apt));
  t.regex(
    hint!,
    /^3\.11-minimal on debian12: a step could not verify an https server's certificate \(Certificate verification failed: .*\); behind a TLS-inspecting proxy, pass its CA bundle with --extra-ca$/,
  );
});
