# One image for every Khabuan process; compose.yaml picks the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv pip install --system --no-cache --compile-bytecode --require-hashes -r requirements.lock
COPY alembic.ini pyproject.toml ./
COPY services services
COPY gateway gateway
COPY khabuan khabuan
COPY migrations migrations
RUN useradd --system --uid 10001 khabuan && mkdir -p /data/keys && chown -R khabuan /data
USER khabuan
EXPOSE 8000 8101 8102 8103
