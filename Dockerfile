# One image for every Driftline service; docker-compose.yml runs it once per service.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DRIFTLINE_HOST=0.0.0.0 DRIFTLINE_PORT=50051 DRIFTLINE_DATA_DIR=/var/lib/driftline \
    NUMBA_CACHE_DIR=/var/cache/driftline/numba

WORKDIR /opt/driftline
COPY clients/python clients/python
COPY pyproject.toml README.md ./
COPY services services
RUN pip install --no-cache-dir ./clients/python . \
    && useradd --system --home /var/lib/driftline driftline \
    && mkdir -p /var/lib/driftline /var/cache/driftline/numba \
    && chown -R driftline /var/lib/driftline /var/cache/driftline

USER driftline
EXPOSE 50051
ENTRYPOINT ["driftline-server"]
CMD ["serve"]
