"""Flask application hosted inside Apache httpd by mod_wsgi."""
from flask import Flask, Response, request

application = Flask(__name__)


@application.route("/")
def index():
    server = request.environ.get("mod_wsgi.version")
    if server is None:
        return Response("mod-wsgi: not running under mod_wsgi\n", status=500, mimetype="text/plain")
    return Response("mod-wsgi: Flask served by mod_wsgi-express (mod_wsgi %s)\n" % ".".join(str(part) for part in server),
                    mimetype="text/plain")
