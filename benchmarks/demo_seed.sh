#!/bin/sh
# Time of `manage.py seed_demo` on a fresh database, as `make demo` runs it (after migrate and
# build_taxonomy), for the checkout this script is run from:
#
#     benchmarks/demo_seed.sh            # prepares var/bench-seed/ once, then one timed seed
#     farm-bench -n 3 --timeout 900 -- benchmarks/demo_seed.sh
#
# The prepared database (migrated, the bundled ESCO subset loaded) is kept in
# var/bench-seed/empty.sqlite3 and copied before each run, so only the seed is timed.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DIR=var/bench-seed
export DJANGO_SETTINGS_MODULE=lms.settings.dev
export DASI_SKILLS_ARTIFACT="$PWD/$DIR/taxonomy.h5"
export DASI_MEDIA_ROOT="$PWD/$DIR/media"
mkdir -p "$DIR"
if [ ! -f "$DIR/empty.sqlite3" ]; then
  DATABASE_URL="sqlite:///$PWD/$DIR/prepare.sqlite3" "$PY" manage.py migrate -v 0
  DATABASE_URL="sqlite:///$PWD/$DIR/prepare.sqlite3" "$PY" manage.py build_taxonomy --small -v 0
  mv "$DIR/prepare.sqlite3" "$DIR/empty.sqlite3"
fi
rm -rf "$DIR/media" "$DIR/run.sqlite3"*
cp "$DIR/empty.sqlite3" "$DIR/run.sqlite3"
DATABASE_URL="sqlite:///$PWD/$DIR/run.sqlite3" exec "$PY" manage.py seed_demo
