"""Inverts a fixed 3x3 matrix with numpy and checks the product is the identity."""
import numpy as np

MATRIX = np.array([[4.0, 7.0, 2.0],
                   [3.0, 6.0, 1.0],
                   [2.0, 5.0, 3.0]])


def application(environ, start_response):
    inverse = np.linalg.inv(MATRIX)
    if np.allclose(MATRIX @ inverse, np.eye(3)):
        status = "200 OK"
        body = "numpy: 3x3 matrix inverse verified (numpy %s, det=%.1f)\n" % (
            np.__version__, np.linalg.det(MATRIX))
    else:
        status = "500 Internal Server Error"
        body = "numpy: inverse check FAILED\n%s\n" % inverse
    data = body.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(data)))])
    return [data]
