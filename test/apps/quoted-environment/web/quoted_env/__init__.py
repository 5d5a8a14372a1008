"""s2i sample: a package served by gunicorn, named by a quoted APP_MODULE."""
