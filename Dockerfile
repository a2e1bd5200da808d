# syntax=docker/dockerfile:1
# Build wheels in one stage, run as a non-root user in a slim one.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres,redis]"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 askroom \
    && mkdir /data && chown askroom /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels "askroom[postgres,redis]" && rm -rf /wheels
USER askroom
WORKDIR /data
ENV ASKROOM_DATABASE_URL=sqlite:////data/askroom.db \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["askroom", "serve", "--host", "0.0.0.0", "--port", "8000"]
