"""WSGI module of a project installed through `-e .` in requirements.txt; it shows, as pip itself
reports it, that the installed distribution is an editable one of these sources."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _pip_show():
    """`pip show` of this project: its fields, or None when pip knows no such distribution."""
    r = subprocess.run([sys.executable, "-m", "pip", "show", "setupreqdemo"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
    if r.returncode != 0:
        return None
    return dict(line.split(": ", 1) for line in r.stdout.splitlines() if ": " in line)


def _problem(fields):
    if fields is None:
        return "pip shows no setupreqdemo distribution"
    editable = fields.get("Editable project location")
    if editable != HERE:
        return "setupreqdemo %s is installed in %s (editable project location: %s), not as an editable install of %s" % (
            fields.get("Version"), fields.get("Location"), editable, HERE)
    return None


FIELDS = _pip_show()
PROBLEM = _problem(FIELDS)


def application(environ, start_response):
    if PROBLEM:
        status, text = "500 Internal Server Error", "setup-requirements: %s\n" % PROBLEM
    else:
        status, text = "200 OK", "setup-requirements: setupreqdemo %s is the editable install of the sources (%s)\n" % (FIELDS["Version"], HERE)
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
