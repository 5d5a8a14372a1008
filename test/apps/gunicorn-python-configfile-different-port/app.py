"""The callable named by wsgi_app in gunicorn.conf.py."""
import sys

BODY = b"gunicorn-python-configfile-different-port: wsgi_app and bind read from gunicorn.conf.py\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


if __name__ == "__main__":
    sys.exit("gunicorn-python-configfile-different-port: expected a bare gunicorn to load "
             "gunicorn.conf.py, but app.py was run as a script")
