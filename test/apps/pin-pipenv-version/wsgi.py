"""Flask application loaded by uWSGI (--module wsgi:application)."""
import os

from flask import Flask, Response

application = Flask(__name__)


@application.route("/")
def index():
    extra = os.environ.get("SAMPLE_APP_DETAIL", "")
    text = "pin-pipenv-version: pinned pipenv installed uWSGI built from source" + (" (%s)" % extra if extra else "") + "\n"
    return Response(text, mimetype="text/plain")
