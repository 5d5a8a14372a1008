"""Answers 200 when the installed packages are the ones uv.lock pins for the project, installed
by uv, and the dev group is left out; otherwise 500, naming each difference."""
import os
import tomllib
from importlib import metadata

PROJECT = "uv-src-layout"


def lock_expectations(path):
    """The project and its locked runtime dependencies (name -> version), and its dev group's names."""
    with open(path, "rb") as f:
        packages = {p["name"]: p for p in tomllib.load(f)["package"]}
    wanted = {PROJECT: packages[PROJECT]["version"]}
    pending = [PROJECT]
    while pending:
        for dep in packages[pending.pop()].get("dependencies", []):
            # Dependencies behind an environment marker (other platforms) are not checked.
            if "marker" not in dep and dep["name"] not in wanted:
                wanted[dep["name"]] = packages[dep["name"]]["version"]
                pending.append(dep["name"])
    dev = {d["name"] for d in packages[PROJECT].get("dev-dependencies", {}).get("dev", [])}
    return wanted, dev - set(wanted)


def differences(wanted, dev):
    found = []
    for name, version in sorted(wanted.items()):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found.append("%s is not installed" % name)
            continue
        installer = (dist.read_text("INSTALLER") or "?").strip()
        if dist.version != version:
            found.append("%s %s installed, uv.lock pins %s" % (name, dist.version, version))
        if installer != "uv":
            found.append("%s installed by %s" % (name, installer))
    for name in sorted(dev):
        try:
            metadata.distribution(name)
            found.append("dev dependency %s installed" % name)
        except metadata.PackageNotFoundError:
            pass
    return found


def application(environ, start_response):
    # run starts the application in $HOME, where assemble put the source with its uv.lock.
    wanted, dev = lock_expectations(os.path.join(os.environ["HOME"], "uv.lock"))
    found = differences(wanted, dev)
    if found:
        status, text = "500 Internal Server Error", "uv-src-layout: not as uv.lock pins them: %s\n" % "; ".join(found)
    else:
        status = "200 OK"
        text = ("uv-src-layout: %d locked packages installed by uv as uv.lock pins them; dev group left out; "
                "served by its console script\n" % len(wanted))
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
