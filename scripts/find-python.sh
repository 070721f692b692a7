#!/usr/bin/env bash
# Prints the path of the newest Python >= 3.12 on this machine, or fails with a clear message.
# Looks on PATH, in pyenv's versions (its shims fail for versions that are not selected) and in
# the usual system places; each candidate is run, so a broken shim is skipped.
set -uo pipefail

candidates=()
for name in python3.14 python3.13 python3.12 python3; do
    path=$(command -v "$name" 2>/dev/null) && candidates+=("$path")
done
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin /usr/local/bin /usr/bin; do
    for path in "$dir"/python3.1[2-9]; do
        [ -x "$path" ] && candidates+=("$path")
    done
done

best="" best_version=""
for path in "${candidates[@]}"; do
    version=$("$path" -c 'import sys; v = sys.version_info; print(f"{v[0]}.{v[1]}.{v[2]}") if v >= (3, 12) else sys.exit(1)' 2>/dev/null) || continue
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n1)" != "$best_version" ]; then
        best=$path best_version=$version
    fi
done

if [ -z "$best" ]; then
    echo "error: LAO Portal needs Python 3.12 or newer (Django 6.1), and none was found." >&2
    echo "       Install python3.12 or newer (e.g. apt-get install python3.12 python3.12-venv) and retry." >&2
    exit 1
fi
echo "$best"
