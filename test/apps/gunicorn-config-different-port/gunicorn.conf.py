# Passed to gunicorn through APP_CONFIG. It deliberately does not name the
# application itself, so the run script keeps using APP_MODULE.
import multiprocessing

bind = "0.0.0.0:8085"
workers = min(multiprocessing.cpu_count() * 2 + 1, 4)
accesslog = "-"
