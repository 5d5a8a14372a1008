"""WSGI module named after the distribution in setup.py."""

BODY = b"setup: gunicorn found the module through setup.py --name\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]
