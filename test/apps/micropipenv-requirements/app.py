"""Started by the run script as `python app.py`: hands over to mod_wsgi-express,
which runs Apache httpd in the foreground with the Flask app from wsgi.py."""
import os

import mod_wsgi.server

mod_wsgi.server.start(
    "--port", os.environ.get("PORT", "8080"),
    "--log-to-terminal",
    "--application-type", "module",
    "--entry-point", "wsgi",
    "--processes", os.environ.get("MOD_WSGI_PROCESSES", "1"),
    "--threads", os.environ.get("MOD_WSGI_THREADS", "4"),
    "--trust-proxy-header", "X-Forwarded-Proto",
    "--trust-proxy-header", "X-Forwarded-For",
)
