# Found by the run script in the source root. Because it names the WSGI
# callable, the run script starts a bare `gunicorn` and gunicorn reads this
# file on its own.
wsgi_app = "app:application"
bind = "0.0.0.0:8085"
workers = 2
accesslog = "-"
