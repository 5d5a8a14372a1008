"""The uv-src-layout-serve console script: gunicorn serving uv_src_layout.web on $PORT."""
import os
import sys

from gunicorn.app.wsgiapp import run


def main():
    sys.argv = ["uv-src-layout-serve", "--bind", "0.0.0.0:%s" % os.environ.get("PORT", "8080"),
                "--access-logfile", "-", "uv_src_layout.web:application"]
    run()
