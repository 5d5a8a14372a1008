// Network troubles read from what a step printed (ci/src/verify/network.ts), on output recorded
// from pip and BuildKit.
import test from "ava";
import { transientNetworkReason, unreachableIndex } from "../ci/src/verify/network.js";

// pip 23 with --index-url http://127.0.0.1:9/simple, nothing listening there.
const PIP_UNREACHABLE = `Looking in indexes: http://127.0.0.1:9/simple
WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7fb73be6b0d0>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/gunicorn/
ERROR: Could not find a version that satisfies the requirement gunicorn==23.0.0 (from versions: none)
ERROR: No matching distribution found for gunicorn==23.0.0`;

test("an index pip could not reach is named, with the package it wanted", (t) => {
  t.is(unreachableIndex(PIP_UNREACHABLE), "the package index http://127.0.0.1:9/simple was unreachable for gunicorn==23.0.0");
  const noSuchVersion =
    "ERROR: Could not find a version that satisfies the requirement gunicorn==99 (from versions: 20.0, 23.0.0)\nERROR: No matching distribution found for gunicorn==99";
  t.is(unreachableIndex(noSuchVersion), undefined, "a version the index does not have is not an unreachable index");
});

test("transient network errors are worth one retry; a failed command's own error is not", (t) => {
  t.regex(transientNetworkReason(PIP_UNREACHABLE)!, /NewConnectionError/);
  t.regex(
    transientNetworkReason(
      'failed to resolve source metadata for docker.io/library/debian:bookworm-slim: failed to do request: Head "https://127.0.0.1:5000/v2/library/debian/manifests/bookworm-slim": dial tcp 127.0.0.1:5000: i/o timeout',
    )!,
    /i\/o timeout/,
  );
  t.is(transientNetworkReason("ERROR: Could not find a version that satisfies the requirement gunicorn==99"), undefined);
  t.is(transientNetworkReason("E: Unable to locate package python3.99"), undefined);
});
