from setuptools import setup

# Installed in editable mode from requirements.txt ("-e ."); .s2i/environment turns off the
# assemble script's setup.py processing, which would install it again as a regular copy.
setup(
    name="setupreqdemo",
    version="1.0.0",
    description="s2i sample: setup.py referenced from requirements.txt",
    py_modules=["setupreqdemo"],
)
