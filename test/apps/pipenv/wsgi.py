"""Served by gunicorn; reports that the versions pinned in Pipfile.lock were installed."""
from importlib.metadata import version

# The Pipfile pins older releases on purpose: a plain "latest" install would
# not match, so a 200 means the lock file was honoured.
PINNED = {"gunicorn": "23.0.0", "six": "1.16.0", "packaging": "24.2"}


def application(environ, start_response):
    found = {name: version(name) for name in PINNED}
    if found == PINNED:
        status = "200 OK"
        text = "pipenv: dependencies installed by pipenv from Pipfile.lock (%s)\n" % ", ".join("%s %s" % item for item in sorted(found.items()))
    else:
        status = "500 Internal Server Error"
        text = "pipenv: installed versions %r differ from Pipfile.lock %r\n" % (found, PINNED)
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body)))])
    return [body]
