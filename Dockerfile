# Production image of LAO Portal: gunicorn serving config.wsgi; the same image runs the worker.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_STATIC_ROOT=/srv/static DJANGO_MEDIA_ROOT=/srv/media
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home portal
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# Build-time values only, to compile translations and collect static files.
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build \
    python manage.py compilemessages -v 0 \
    && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /srv/media && chown portal /srv/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--max-requests", "1000", "--max-requests-jitter", "100", "--access-logfile", "-"]
