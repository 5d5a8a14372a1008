"""s2i sample: a uv project with a src/ layout, installed from its uv.lock."""
