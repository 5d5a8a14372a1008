from setuptools import setup

# The run script derives APP_MODULE from `python setup.py --name`, so the
# distribution name doubles as the importable module name.
setup(
    name="setupdemo",
    version="1.0.0",
    description="s2i sample: application module found through setup.py",
    py_modules=["setupdemo"],
    install_requires=["gunicorn"],
)
