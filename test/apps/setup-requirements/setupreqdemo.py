"""WSGI module of a project installed through `-e .` in requirements.txt; it shows that the
installed distribution is an editable one whose import resolves to these sources."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Imported in a fresh interpreter from another folder: only the editable install can find it.
PROBE = """
import importlib.util, json
from importlib.metadata import distribution
d = distribution("setupreqdemo")
# find_spec locates the module without running it (running it would start this probe again).
print(json.dumps({"file": importlib.util.find_spec("setupreqdemo").origin, "version": d.version, "direct_url": json.loads(d.read_text("direct_url.json") or "{}")}))
"""


def _editable():
    r = subprocess.run([sys.executable, "-c", PROBE], cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        return None, "setupreqdemo is not importable from outside the sources: %s" % (r.stderr.strip().splitlines() or [""])[-1]
    seen = json.loads(r.stdout)
    editable = seen["direct_url"].get("dir_info", {}).get("editable", False)
    if os.path.dirname(seen["file"]) != HERE or not editable:
        return None, "setupreqdemo %s is imported from %s (editable: %s), not the sources in %s" % (seen["version"], seen["file"], editable, HERE)
    return "setup-requirements: setupreqdemo %s is the editable install of the sources (%s)\n" % (seen["version"], seen["file"]), None


TEXT, PROBLEM = _editable()


def application(environ, start_response):
    body = (TEXT or "setup-requirements: %s\n" % PROBLEM).encode()
    start_response("200 OK" if TEXT else "500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
