"""WSGI module named after the distribution in setup.py; it shows that assemble's `pip install .`
installed it into the virtual environment, not as an editable link to the sources."""
import json
import os
import subprocess
import sys

# Imported in a fresh interpreter from another folder, so the sources in the working directory
# (gunicorn's sys.path[0]) cannot answer for the installed copy.
PROBE = """
import importlib.util, json
from importlib.metadata import distribution
d = distribution("setupdemo")
# find_spec locates the module without running it (running it would start this probe again).
print(json.dumps({"file": importlib.util.find_spec("setupdemo").origin, "version": d.version, "direct_url": json.loads(d.read_text("direct_url.json") or "{}")}))
"""


def _installed():
    r = subprocess.run([sys.executable, "-c", PROBE], cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        return None, "setupdemo is not importable from outside the sources: %s" % (r.stderr.strip().splitlines() or [""])[-1]
    seen = json.loads(r.stdout)
    site = os.path.join(sys.prefix, "lib")
    editable = seen["direct_url"].get("dir_info", {}).get("editable", False)
    if not seen["file"].startswith(site + os.sep) or editable:
        return None, "setupdemo %s is imported from %s (editable: %s), not installed into %s" % (seen["version"], seen["file"], editable, site)
    return "setup: setupdemo %s is the installed copy, not editable (%s)\n" % (seen["version"], seen["file"]), None


TEXT, PROBLEM = _installed()


def application(environ, start_response):
    body = (TEXT or "setup: %s\n" % PROBLEM).encode()
    start_response("200 OK" if TEXT else "500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
