#!/bin/bash
# The probe package exists only on the package index that the test serves and
# passes in as PIP_INDEX_URL at build time; finding it installed proves that
# assemble used that index.
set -euo pipefail
want="s2i-index-probe==1.0.0"
installed=$(pip freeze 2>/dev/null | tr '[:upper:]_' '[:lower:]-' | grep -x "$want" || true)
if [ "$installed" != "$want" ]; then
  echo "standalone-custom-pypi-index: $want not installed; pip freeze says:" >&2
  pip freeze >&2 || true
  exit 1
fi
echo "standalone-custom-pypi-index: found $want"
exec python app.py
