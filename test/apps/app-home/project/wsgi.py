"""WSGI entry point that lives in the APP_HOME sub-directory, not in the source root."""

BODY = b"app-home: served by gunicorn from APP_HOME=project\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]
