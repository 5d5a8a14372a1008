"""Answers 200 when every package of pylock.toml is installed in the version it pins, saying which
installer put them there (the INSTALLER file of each distribution); otherwise 500, naming each difference."""
import tomllib
from importlib import metadata


def check():
    with open("pylock.toml", "rb") as f:
        locked = tomllib.load(f)["packages"]
    installers, wrong = set(), []
    for package in locked:
        try:
            dist = metadata.distribution(package["name"])
        except metadata.PackageNotFoundError:
            wrong.append("%s is not installed" % package["name"])
            continue
        if dist.version != package["version"]:
            wrong.append("%s %s installed, pylock.toml pins %s" % (package["name"], dist.version, package["version"]))
        installers.add((dist.read_text("INSTALLER") or "?").strip())
    return len(locked), " and ".join(sorted(installers)), wrong


def application(environ, start_response):
    count, installers, wrong = check()
    if wrong:
        status, text = "500 Internal Server Error", "pylock: not as pylock.toml pins them: %s\n" % "; ".join(wrong)
    else:
        status, text = "200 OK", "pylock: %d packages installed by %s as pylock.toml pins them\n" % (count, installers)
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
