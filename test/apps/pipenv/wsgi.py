"""Served by gunicorn; reports that the versions pinned in Pipfile.lock were installed, and by
pipenv: assemble installs the packaging tool it runs into a virtual environment of its own
under ~/.local/venvs, so the pipenv one is there and the micropipenv one is not."""
import os
from importlib.metadata import version

VENVS = os.path.join(os.environ.get("HOME", "/opt/app-root/src"), ".local", "venvs")

# The Pipfile pins older releases on purpose: a plain "latest" install would
# not match, so a 200 means the lock file was honoured.
PINNED = {"gunicorn": "23.0.0", "six": "1.16.0", "packaging": "24.2"}


def application(environ, start_response):
    found = {name: version(name) for name in PINNED}
    tools = sorted(t for t in ("pipenv", "micropipenv") if os.path.exists(os.path.join(VENVS, t, "bin", t)))
    if tools != ["pipenv"]:
        status = "500 Internal Server Error"
        text = "pipenv: assemble installed %s, not pipenv alone\n" % (", ".join(tools) or "no packaging tool")
    elif found == PINNED:
        status = "200 OK"
        text = "pipenv: dependencies installed by pipenv from Pipfile.lock (%s)\n" % ", ".join("%s %s" % item for item in sorted(found.items()))
    else:
        status = "500 Internal Server Error"
        text = "pipenv: installed versions %r differ from Pipfile.lock %r\n" % (found, PINNED)
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body)))])
    return [body]
