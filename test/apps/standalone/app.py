"""Runs gunicorn in-process (gunicorn's BaseApplication API) when started as `python app.py`; it
shows that run started it as a script and that gunicorn is the copy requirements.txt installed
into the virtual environment."""
import os
import sys

import gunicorn
from gunicorn.app.base import BaseApplication

SITE = os.path.join(sys.prefix, "lib")


def _problem():
    if __name__ != "__main__":
        return "app.py was imported as %s, not started as a script by `python app.py`" % __name__
    if gunicorn.__version__ != "23.0.0" or not gunicorn.__file__.startswith(SITE + os.sep):
        return "gunicorn %s is imported from %s, not 23.0.0 from %s" % (gunicorn.__version__, gunicorn.__file__, SITE)
    return None


PROBLEM = _problem()


def application(environ, start_response):
    if PROBLEM:
        status, text = "500 Internal Server Error", "standalone: %s\n" % PROBLEM
    else:
        status, text = "200 OK", "standalone: python app.py embedding gunicorn %s from the virtual environment (%s)\n" % (gunicorn.__version__, gunicorn.__file__)
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class EmbeddedServer(BaseApplication):
    def __init__(self, wsgi_app, settings):
        self._wsgi_app = wsgi_app
        self._settings = settings
        super().__init__()

    def load_config(self):
        for key, value in self._settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self._wsgi_app


if __name__ == "__main__":
    EmbeddedServer(application, {
        "bind": "0.0.0.0:%s" % os.environ.get("PORT", "8080"),
        "workers": 2,
        "accesslog": "-",
    }).run()
