# Sourced by the Makefile's recipes: the virtualenv on PATH, a database, development settings.
# Values already in the environment (or in .env) win over the defaults here.
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -f "$_root/.env" ]; then
    set -a
    # shellcheck disable=SC1091
    . "$_root/.env"
    set +a
fi
export PATH="$_root/.venv/bin:$PATH"

if [ -z "${DATABASE_URL:-}" ]; then
    "$_root/scripts/pg.sh" start
    DATABASE_URL=$("$_root/scripts/pg.sh" url)
    export DATABASE_URL
fi

mkdir -p "$_root/var"
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
    [ -s "$_root/var/secret_key" ] || python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$_root/var/secret_key"
    DJANGO_SECRET_KEY=$(cat "$_root/var/secret_key")
    export DJANGO_SECRET_KEY
fi
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-$HOST,localhost,127.0.0.1}
# Plain http on loopback: no redirect to https, no Secure-only cookies, no HSTS.
export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-false}
export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-false}
export DJANGO_SECURE_HSTS_SECONDS=${DJANGO_SECURE_HSTS_SECONDS:-0}
unset _root
