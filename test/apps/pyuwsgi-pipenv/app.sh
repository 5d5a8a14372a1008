#!/bin/bash
# Checks that assemble installed the pinned pipenv, then serves with the
# uwsgi command from the pyuwsgi wheel.
set -euo pipefail
APP_NAME=pyuwsgi-pipenv
pin="${PIN_PIPENV_VERSION:-}"
if [ -z "$pin" ] && [ -f .s2i/environment ]; then
  pin=$(sed -n 's/^PIN_PIPENV_VERSION=//p' .s2i/environment | tr -d '"'"'"'\r')
fi
if [ -z "$pin" ]; then
  echo "$APP_NAME: PIN_PIPENV_VERSION is not set" >&2
  exit 1
fi
pipenv_bin=$(command -v pipenv || echo "$HOME/.local/bin/pipenv")
got=$("$pipenv_bin" --version 2>/dev/null || true)
if [ "$got" != "pipenv, version $pin" ]; then
  echo "$APP_NAME: expected 'pipenv, version $pin', got '$got'" >&2
  exit 1
fi
export SAMPLE_APP_DETAIL="$got"
exec uwsgi --http-socket "0.0.0.0:${PORT:-8080}" --master --die-on-term --need-app \
  --processes 1 --threads 4 --enable-threads --module wsgi:application
