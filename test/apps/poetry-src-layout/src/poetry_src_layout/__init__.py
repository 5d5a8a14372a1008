"""WSGI callable of a src-layout package.

src/ is not on sys.path at run time, so gunicorn can only import this
package if assemble installed the project with `pip install .`.
"""
from importlib.metadata import version

BODY = ("poetry-src-layout: package from src/ installed via poetry-core (%s)\n"
        % version("poetry-src-layout")).encode()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]
