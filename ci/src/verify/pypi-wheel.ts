/** The test's own package index: where sample apps find it, and the wheel it serves, made with the standard library. */
/** Where sample apps find the test's own package index: the table's {{pypiIndexUrl}}. */
export const PYPI_HOST = "pypi";
export const PYPI_PORT = 8000;
export const PYPI_INDEX_URL = `http://${PYPI_HOST}:${PYPI_PORT}/simple/`;

/** The placeholder in specs/sample-apps.yml that asks for the index. */
export const PYPI_PLACEHOLDER = "{{pypiIndexUrl}}";

/**
 * Packs a pure-Python project (pyproject [project] name/version, packages under src/) into
 * a wheel with the standard library only, so no build backend has to be fetched, and lays
 * it out as a PEP 503 simple index that `python -m http.server` can serve.
 */
export const WHEEL_SCRIPT = `
import base64, hashlib, io, os, re, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
meta = open(os.path.join(src, "pyproject.toml")).read()
name = re.search(r'^name\\s*=\\s*"([^"]+)"', meta, re.M).group(1)
version = re.search(r'^version\\s*=\\s*"([^"]+)"', meta, re.M).group(1)
dist = re.sub(r"[-_.]+", "_", name)
info = "%s-%s.dist-info" % (dist, version)
root = os.path.join(src, "src") if os.path.isdir(os.path.join(src, "src")) else src
files = {}
for d, _, names in os.walk(root):
    if ".egg-info" in d or "__pycache__" in d:
        continue
    for n in names:
        p = os.path.join(d, n)
        rel = os.path.relpath(p, root)
        if "/" in rel and not rel.endswith(".pyc"):
            files[rel] = open(p, "rb").read()
files[info + "/METADATA"] = ("Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (name, version)).encode()
files[info + "/WHEEL"] = b"Wheel-Version: 1.0\\nGenerator: s2i-python-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
record = []
for rel, data in sorted(files.items()):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append("%s,sha256=%s,%d" % (rel, digest, len(data)))
record.append(info + "/RECORD,,")
files[info + "/RECORD"] = ("\\n".join(record) + "\\n").encode()
project = re.sub(r"[-_.]+", "-", name).lower()
os.makedirs(os.path.join(out, "simple", project))
with zipfile.ZipFile(os.path.join(out, "simple", project, "%s-%s-py3-none-any.whl" % (dist, version)), "w") as z:
    for rel, data in sorted(files.items()):
        z.writestr(rel, data)
`;

/** Whether an app's table env asks for the index. */
export function usesPypiIndex(env: Record<string, string>): boolean {
  return Object.values(env).some((v) => v.includes(PYPI_PLACEHOLDER));
}
