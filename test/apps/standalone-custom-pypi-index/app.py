"""Plain http.server reporting which probe package version is installed."""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import s2i_index_probe


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("standalone-custom-pypi-index: %s %s installed from the custom index\n"
                % (s2i_index_probe.NAME, s2i_index_probe.__version__)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    # As PID 1 of a container, a signal without a handler is dropped: stop on SIGTERM as docker stop asks.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    print("standalone-custom-pypi-index: listening on 0.0.0.0:%d" % port, flush=True)
    HTTPServer(("0.0.0.0", port), Handler).serve_forever()
