"""Flask application loaded by uWSGI (--module wsgi:application)."""
import os

from flask import Flask, Response

application = Flask(__name__)


@application.route("/")
def index():
    extra = os.environ.get("SAMPLE_APP_DETAIL", "")
    text = "pyuwsgi-pipenv: uWSGI from the pyuwsgi wheel, installed by the pinned pipenv" + (" (%s)" % extra if extra else "") + "\n"
    return Response(text, mimetype="text/plain")
