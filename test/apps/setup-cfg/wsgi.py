"""gunicorn entry point; gunicorn itself was installed from setup.cfg's install_requires."""
from setupcfgdemo import describe


def application(environ, start_response):
    # importlib.metadata only finds setupcfgdemo if `pip install .` ran.
    body = (describe() + "\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]
