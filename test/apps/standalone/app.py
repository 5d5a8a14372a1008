"""Runs gunicorn in-process (gunicorn's BaseApplication API) when started as `python app.py`."""
import os

from gunicorn.app.base import BaseApplication

BODY = b"standalone: python app.py embedding gunicorn\n"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


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
