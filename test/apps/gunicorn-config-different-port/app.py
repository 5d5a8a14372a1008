"""gunicorn serves this with settings read from APP_CONFIG (port 8085)."""
import sys

BODY = b"gunicorn-config-different-port: bind 8085 came from APP_CONFIG\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


if __name__ == "__main__":
    sys.exit("gunicorn-config-different-port: app.py must be imported by gunicorn, not run")
