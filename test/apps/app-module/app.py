"""Loaded by gunicorn as APP_MODULE=app:application.

Because APP_MODULE is set, the run script must not execute this file as a
script; doing so fails loudly so a wrong code path is noticed.
"""
import sys

BODY = b"app-module: gunicorn imported app:application\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


if __name__ == "__main__":
    sys.exit("app-module: app.py was executed as a script, expected gunicorn to import it")
