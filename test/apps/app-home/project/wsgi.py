"""WSGI entry point that lives in the APP_HOME sub-directory, not in the source root: it shows
that run changed into APP_HOME and that gunicorn imported this file from there."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HOME = os.environ.get("HOME", "/opt/app-root/src")
APP_HOME = os.path.join(HOME, "project")


def _problem():
    if HERE != APP_HOME:
        return "wsgi.py was imported from %s, not APP_HOME %s" % (HERE, APP_HOME)
    if os.getcwd() != APP_HOME:
        return "the working directory is %s, not APP_HOME %s" % (os.getcwd(), APP_HOME)
    return None


PROBLEM = _problem()


def application(environ, start_response):
    if PROBLEM:
        status, text = "500 Internal Server Error", "app-home: %s\n" % PROBLEM
    else:
        status, text = "200 OK", "app-home: served by gunicorn from APP_HOME=project (%s, working directory %s)\n" % (__file__, os.getcwd())
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
