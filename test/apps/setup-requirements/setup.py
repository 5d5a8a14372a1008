from setuptools import setup

# Installed in editable mode from requirements.txt ("-e .") and again by the
# assemble script's setup.py processing.
setup(
    name="setupreqdemo",
    version="1.0.0",
    description="s2i sample: setup.py referenced from requirements.txt",
    py_modules=["setupreqdemo"],
)
