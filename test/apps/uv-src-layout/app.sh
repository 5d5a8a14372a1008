#!/bin/bash
# The console script the project declares, installed into the image's virtual environment.
exec uv-src-layout-serve
