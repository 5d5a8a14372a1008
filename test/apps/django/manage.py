#!/usr/bin/env python
"""Command-line entry point of the sample Django project."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siteconf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
