/**
 * What docker-library's official-images tests check of the `python` images, in our words and
 * for our layout (python3 on PATH is the image's virtual environment): the scripts each check
 * runs in the image. Where our images differ on purpose, the check says what we promise
 * instead (docs/docker-library.md). The checks themselves are entries of verify/engine/checks.ts.
 */

import type { Verdict } from "./results.js";
import { verdict, type CommandOutput } from "./image-judges.js";

/** The standard library modules of a full CPython build, with compression round trips. */
export const IMPORTS = `
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

export const SQLITE = `
import sqlite3
print("sqlite", sqlite3.sqlite_version)
db = sqlite3.connect(":memory:", timeout=1, detect_types=sqlite3.PARSE_DECLTYPES, isolation_level=None)
db.execute("CREATE TABLE t (id INT, txt TEXT)")
db.execute("INSERT INTO t VALUES (?, ?)", (42, "wut"))
assert db.execute("SELECT * FROM t").fetchall() == [(42, "wut")]
db.execute("DROP TABLE t")
db.close()
`;

/**
 * Unbounded recursion in a thread must end in RecursionError, not a crash of the thread's C
 * stack: once in plain Python calls, once through a C function (map), since from 3.11 on plain
 * Python calls no longer take C stack and only the second one tests the thread's stack size.
 * Each thread prints "RecursionError at depth N" when it ends well.
 */
export const STACK = `
import sys, threading
def plain(i):
    try:
        plain(i + 1)
    except RecursionError:
        print("RecursionError at depth", i, "(plain calls)")
def through_c(i):
    try:
        return list(map(through_c, [i + 1]))
    except RecursionError:
        print("RecursionError at depth", i, "(through map)")
for f in (plain, through_c):
    t = threading.Thread(target=f, args=(1,))
    t.start()
    t.join()
`;

/** Both threads of STACK ended in RecursionError and the interpreter exited 0. */
export function judgeThreadStack(r: CommandOutput): Verdict {
  const ended = r.out.split("\n").filter((l) => /^RecursionError at depth \d+ \((plain calls|through map)\)$/.test(l)).length;
  return verdict(
    r.code === 0 && ended === 2,
    "RecursionError in a thread, in plain calls and through map, exit 0 (no crash)",
    `exit ${r.code}: ${r.out.trim().split("\n").pop() ?? ""}`,
    r.out,
  );
}

/** pip installs from the index over TLS, and requests then fetches an https page. */
export const PIP_TLS = `
import subprocess, sys
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "requests"])
import requests
r = requests.get("https://pypi.org/simple/requests/", timeout=30)
assert r.status_code == 200, r.status_code
print("requests over TLS:", r.status_code)
`;

/**
 * Reads /etc/shadow as root: "@missing" or "@unreadable" when it cannot, else one line per user
 * with a password hash or (root) an empty password, then "@users N".
 */
export const PASSWORDS = `
[ -e /etc/shadow ] || { echo @missing; exit 0; }
shadow=$(cut -d: -f1-2 /etc/shadow) || { echo @unreadable; exit 0; }
echo "$shadow" | while IFS=: read -r user pw; do
  case "$pw" in
    '') [ "$user" = root ] && echo "root has an empty password" ;;
    '$'*) echo "$user has a password hash" ;;
  esac
done
echo "@users $(echo "$shadow" | grep -c .)"
`;

/** No password hash and no empty root password, in an /etc/shadow that is there, readable and lists users. */
export function judgePasswords(out: string): Verdict {
  const lines = out.trim().split("\n");
  const users = /^@users (\d+)$/.exec(lines.at(-1) ?? "");
  const problems = users
    ? lines.slice(0, -1)
    : [
        lines[0] === "@missing"
          ? "/etc/shadow is missing"
          : lines[0] === "@unreadable"
            ? "/etc/shadow is unreadable"
            : `the probe printed ${JSON.stringify(out.trim())}`,
      ];
  if (users && Number(users[1]) === 0) problems.push("/etc/shadow lists no user");
  return verdict(problems.length === 0, "an /etc/shadow with users, no password hash, no empty root password", problems.join("; "), out);
}

/** Lists bytecode under /usr/local and /opt (none is expected: the venv's is written on first use). */
export const STRAY_BYTECODE = "find /usr/local /opt \\( -name '*.pyc' -o -name '*.pyo' \\) -print 2>/dev/null | head -n 20";

/** A script check: it passes when the script exits 0; the report gets the exit status and the script's last line. */
export function judgeScriptExit(expected: string, r: CommandOutput): Verdict {
  return verdict(r.code === 0, expected, `exit ${r.code}: ${r.out.trim().split("\n").pop() ?? ""}`, r.out);
}
