#!/bin/bash
# Full image only: the virtualenv's python must come first on PATH and the
# image's node/npm must work (offline: no registry access at run time).
set -euo pipefail
expected="${APP_ROOT:-/opt/app-root}/bin/python"
actual=$(command -v python || true)
if [ "$actual" != "$expected" ]; then
  echo "npm-virtualenv-uwsgi: python resolves to '$actual', expected '$expected'" >&2
  exit 1
fi
sum=$(node -e 'process.stdout.write(String([1, 2, 3, 4].reduce((acc, n) => acc + n * n, 0)))')
if [ "$sum" != "30" ]; then
  echo "npm-virtualenv-uwsgi: node computed '$sum', expected 30" >&2
  exit 1
fi
npm_version=$(NPM_CONFIG_UPDATE_NOTIFIER=false npm --version)
export SAMPLE_APP_DETAIL="node $(node --version), npm $npm_version"
echo "npm-virtualenv-uwsgi: $SAMPLE_APP_DETAIL, python $actual"
exec uwsgi --http-socket "0.0.0.0:${PORT:-8080}" --master --die-on-term --need-app \
  --processes 1 --threads 4 --enable-threads --module wsgi:application
