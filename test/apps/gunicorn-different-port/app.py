"""gunicorn serves this with the run script's default arguments, bound to $PORT."""
import os
import sys


def application(environ, start_response):
    body = ("gunicorn-different-port: default gunicorn settings on PORT=%s\n"
            % os.environ.get("PORT", "?")).encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]


if __name__ == "__main__":
    sys.exit("gunicorn-different-port: app.py must be imported by gunicorn, not run")
