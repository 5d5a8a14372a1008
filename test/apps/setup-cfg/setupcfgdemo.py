"""Installed as a distribution from setup.cfg; wsgi.py reports its metadata."""
from importlib.metadata import version


def describe():
    return "setup-cfg: installed from setup.cfg as setupcfgdemo %s" % version("setupcfgdemo")
