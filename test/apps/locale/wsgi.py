"""Reports whether the image provides a working en_US.UTF-8 locale.

Every check must pass for a 200; any failure gives a 500 listing what went
wrong, so an image with a broken locale setup fails the HTTP check.
"""
import locale
import os
import sys
import tempfile

from flask import Flask, Response

application = Flask(__name__)

EXPECTED_LOCALE = "en_US.UTF-8"
SAMPLE = "Grüße, naïve café, Ελληνικά, 日本語 ✓"


def _norm(value):
    return (value or "").replace("-", "").lower()


def locale_problems():
    problems = []
    if _norm(os.environ.get("PYTHONIOENCODING")) != "utf8":
        problems.append("PYTHONIOENCODING=%r, expected UTF-8" % os.environ.get("PYTHONIOENCODING"))
    for var in ("LC_ALL", "LANG"):
        if os.environ.get(var) != EXPECTED_LOCALE:
            problems.append("%s=%r, expected %s" % (var, os.environ.get(var), EXPECTED_LOCALE))
    try:
        # Fails with "unsupported locale setting" when the locale is not installed.
        locale.setlocale(locale.LC_ALL, "")
    except locale.Error as exc:
        problems.append("setlocale(LC_ALL, '') failed: %s" % exc)
    current = locale.getlocale()
    if current != ("en_US", "UTF-8"):
        problems.append("locale.getlocale() returned %r" % (current,))
    preferred = locale.getpreferredencoding(False)
    if _norm(preferred) != "utf8":
        problems.append("preferred encoding is %r" % preferred)
    if _norm(sys.getfilesystemencoding()) != "utf8":
        problems.append("filesystem encoding is %r" % sys.getfilesystemencoding())
    stdout_encoding = getattr(sys.stdout, "encoding", None)
    if stdout_encoding and _norm(stdout_encoding) != "utf8":
        problems.append("stdout encoding is %r" % stdout_encoding)
    try:
        # Round trip through a file opened with the default (locale) encoding.
        with tempfile.TemporaryFile("w+") as handle:
            handle.write(SAMPLE)
            handle.seek(0)
            if handle.read() != SAMPLE:
                problems.append("text round trip through a file changed the text")
        if SAMPLE.encode("utf-8").decode("utf-8") != SAMPLE:
            problems.append("UTF-8 encode/decode round trip changed the text")
    except (UnicodeError, OSError) as exc:
        problems.append("UTF-8 round trip failed: %s" % exc)
    return problems


@application.route("/")
def index():
    problems = locale_problems()
    if problems:
        return Response("locale: BROKEN\n" + "\n".join(problems) + "\n", status=500,
                        mimetype="text/plain")
    return Response("locale: en_US.UTF-8 locale and UTF-8 round trip OK (%s)\n" % SAMPLE,
                    mimetype="text/plain")
