"""WSGI module of a project installed through `-e .` in requirements.txt."""

BODY = b"setup-requirements: editable install from requirements.txt served by gunicorn\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]
