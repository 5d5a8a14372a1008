"""Flask application loaded by uWSGI (--module wsgi:application)."""
import os

from flask import Flask, Response

application = Flask(__name__)


@application.route("/")
def index():
    extra = os.environ.get("SAMPLE_APP_DETAIL", "")
    text = "uwsgi: uWSGI compiled from source serving Flask" + (" (%s)" % extra if extra else "") + "\n"
    return Response(text, mimetype="text/plain")
