#!/bin/bash
# The image must export VIRTUAL_ENV pointing at the app-root virtualenv, whose
# python and uwsgi come first on PATH.
set -euo pipefail
root="${APP_ROOT:-/opt/app-root}"
exported=$(printenv VIRTUAL_ENV || true)
if [ "$exported" != "$root" ]; then
  echo "uwsgi: VIRTUAL_ENV is '$exported' (or not exported), expected '$root'" >&2
  exit 1
fi
if [ "$(command -v python || true)" != "$root/bin/python" ]; then
  echo "uwsgi: python resolves to '$(command -v python || true)', expected '$root/bin/python'" >&2
  exit 1
fi
export SAMPLE_APP_DETAIL="VIRTUAL_ENV=$exported"
exec uwsgi --http-socket "0.0.0.0:${PORT:-8080}" --master --die-on-term --need-app \
  --processes 1 --threads 4 --enable-threads --module wsgi:application
