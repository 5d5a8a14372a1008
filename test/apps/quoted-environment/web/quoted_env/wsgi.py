"""Loaded by gunicorn as APP_MODULE="quoted_env.wsgi:application" from APP_HOME='web'.

.s2i/environment quotes its values and s2i keeps the quotes; run must drop them
before gunicorn imports this module (a quoted APP_MODULE fails with "No module
named '"quoted_env'"). The values the application sees must be unquoted too:
any quote left gives a 500 listing it.
"""
import os

EXPECTED = {
    "APP_MODULE": "quoted_env.wsgi:application",
    "GUNICORN_CMD_ARGS": "--bind=0.0.0.0:8080 --workers=2 --access-logfile=-",
}


def problems():
    found = []
    for name, value in EXPECTED.items():
        if os.environ.get(name) != value:
            found.append("%s=%r, expected %r" % (name, os.environ.get(name), value))
    # run exports APP_HOME as the absolute path it changed into.
    app_home = os.environ.get("APP_HOME", "")
    if os.path.basename(app_home) != "web" or os.path.realpath(os.getcwd()) != os.path.realpath(app_home):
        found.append("APP_HOME=%r, working directory %r, expected the web directory" % (app_home, os.getcwd()))
    return found


def application(environ, start_response):
    found = problems()
    if found:
        status, body = "500 Internal Server Error", "quoted-environment: BROKEN\n" + "\n".join(found) + "\n"
    else:
        status = "200 OK"
        body = "quoted-environment: quoted APP_MODULE, APP_HOME and GUNICORN_CMD_ARGS arrived without their quotes\n"
    data = body.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
