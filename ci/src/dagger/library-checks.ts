/**
 * What docker-library's official-images tests check of the `python` images, in our words and
 * for our layout (python3 on PATH is the image's virtual environment). Where our images
 * differ on purpose, the check says what we promise instead (README: "Differences from
 * docker-library's python images").
 */
import { ReturnType, type Container, type File } from "@dagger.io/dagger";
import { clip, tail } from "../verify/http-check.js";
import type { Verdict } from "../verify/report.js";
import { withExtraCa } from "./s2i.js";

/** The standard library modules of a full CPython build, with compression round trips. */
const IMPORTS = `
import sys
import curses, readline, dbm.gnu, dbm.ndbm
import bz2, zlib, lzma
mods = [bz2, zlib, lzma]
if sys.version_info >= (3, 14):
    from compression import zstd
    mods.append(zstd)
data = b"IT WORKS IT WORKS IT WORKS"
for m in mods:
    assert m.decompress(m.compress(data)) == data, m.__name__
print("imports ok")
`;

const SQLITE = `
import sqlite3
print("sqlite", sqlite3.sqlite_version)
db = sqlite3.connect(":memory:", timeout=1, detect_types=sqlite3.PARSE_DECLTYPES, isolation_level=None)
db.execute("CREATE TABLE t (id INT, txt TEXT)")
db.execute("INSERT INTO t VALUES (?, ?)", (42, "wut"))
assert db.execute("SELECT * FROM t").fetchall() == [(42, "wut")]
db.execute("DROP TABLE t")
db.close()
`;

/** Unbounded recursion in a thread must end in RecursionError, not a crash of the thread's C stack. */
const STACK = `
import sys, threading
def f(i):
    try:
        f(i + 1)
    except RecursionError:
        print("RecursionError at depth", i)
        sys.exit(0)
t = threading.Thread(target=f, args=(1,))
t.start()
t.join()
`;

/** pip installs from the index over TLS, and requests then fetches an https page. */
const PIP_TLS = `
import subprocess, sys
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "requests"])
import requests
r = requests.get("https://pypi.org/simple/requests/", timeout=30)
assert r.status_code == 200, r.status_code
print("requests over TLS:", r.status_code)
`;

/** No user has a password hash, and root has no empty password. */
const PASSWORDS = `
shadow=$(cut -d: -f1-2 /etc/shadow)
echo "$shadow" | while IFS=: read -r user pw; do
  case "$pw" in
    '') [ "$user" = root ] && echo "root has an empty password" ;;
    '$'*) echo "$user has a password hash" ;;
  esac
done
`;

export interface LibraryCheck {
  name: string;
  run: (image: Container, extraCa?: File) => Promise<Verdict>;
}

const verdict = (ok: boolean, expected: string, got: string, log = ""): Verdict => (ok ? { outcome: "pass" } : { outcome: "fail", expected, got: clip(got, 300), logTail: tail(log) });

/**
 * A check that runs a Python script as the image user (with the extra CA for its https
 * clients when `withCa`): it passes when the script exits 0, else reports the exit status and
 * the script's last line of output.
 */
function scriptCheck(name: string, script: string, expected: string, opts: { withCa?: boolean } = {}): LibraryCheck {
  return {
    name,
    run: async (image, extraCa) => {
      const c = withExtraCa(image, opts.withCa ? extraCa : undefined, (x) => x.withExec(["python3", "-c", script], { expect: ReturnType.Any }));
      const [code, out] = await Promise.all([c.exitCode(), c.combinedOutput()]);
      return verdict(code === 0, expected, `exit ${code}: ${out.trim().split("\n").pop() ?? ""}`, out);
    },
  };
}

export const LIBRARY_CHECKS: LibraryCheck[] = [
  scriptCheck("docker-library: python imports", IMPORTS, "curses, readline, dbm.gnu, dbm.ndbm import; bz2, zlib, lzma (zstd on 3.14+) round-trip"),
  {
    name: "docker-library: no stray bytecode",
    run: async (image) => {
      const out = await image.withUser("0").withExec(["sh", "-c", "find /usr/local /opt \\( -name '*.pyc' -o -name '*.pyo' \\) -print 2>/dev/null | head -n 20"]).stdout();
      return verdict(out.trim() === "", "no *.pyc or *.pyo under /usr/local or /opt", `found ${out.trim().split("\n").slice(0, 3).join(", ")}`, out);
    },
  },
  scriptCheck("docker-library: pip and requests over TLS", PIP_TLS, "pip installs requests, which fetches https://pypi.org/simple/requests/", { withCa: true }),
  scriptCheck("docker-library: sqlite3", SQLITE, "an in-memory table round trip"),
  scriptCheck("docker-library: thread stack size", STACK, "RecursionError in a thread, exit 0 (no crash)"),
  {
    name: "docker-library: UTC",
    run: async (image) => {
      const out = (await image.withExec(["date", "+%Z"]).stdout()).trim();
      return verdict(out === "UTC", "date +%Z prints UTC", out);
    },
  },
  {
    name: "docker-library: override CMD",
    run: async (image) => {
      const word = `hello-${Math.random().toString(36).slice(2, 10)}`;
      const out = await image.withExec(["echo", word], { useEntrypoint: true }).stdout();
      return verdict(out === `${word}\n`, `\`docker run IMAGE echo ${word}\` prints exactly that`, JSON.stringify(out));
    },
  },
  {
    name: "docker-library: no hard-coded passwords",
    run: async (image) => {
      const out = (await image.withUser("0").withExec(["sh", "-c", PASSWORDS]).stdout()).trim();
      return verdict(out === "", "no password hash in /etc/shadow and no empty root password", out);
    },
  },
];
