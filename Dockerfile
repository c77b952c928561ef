FROM python:3.11-slim

# The container listens on 0.0.0.0 so a published port reaches it. With the embedded defaults
# ([smtp] accept_from = ["open"]) anyone who reaches that port creates incidents, and start-up says so
# in a WARNING: mount a settings file with accept_from, trusted_networks / users / trusted_forwarder_domains
# and tls_cert / tls_key (README "Exposing the MX") and set HANDOFF_CONFIG before publishing port 25.
# `docker kill -s HUP <container>` reloads the certificate after a renewal.
# The status page can retry handoffs, so on 0.0.0.0 serve refuses to start without a login: pass
# `-e HANDOFF_HTTP__TOKEN=$(openssl rand -hex 24)` (or [http] user + password_hash in the settings file).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HANDOFF_SPOOL__URL=sqlite:////var/lib/handoff/handoff.db \
    HANDOFF_SMTP__HOST=0.0.0.0 HANDOFF_HTTP__HOST=0.0.0.0

WORKDIR /app
COPY pyproject.toml README.md ./
# handoff/templates is a symlink to templates/ (the source): both are copied so `pip install .` builds a
# package that carries the templates itself, and the image renders from any directory.
COPY handoff ./handoff
COPY templates ./templates
COPY samples ./samples
RUN pip install . && useradd --system --uid 10001 --home-dir /var/lib/handoff --create-home handoff

USER handoff
VOLUME ["/var/lib/handoff"]
EXPOSE 2525 8025
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8025/healthz', timeout=4).status == 200 else 1)"
ENTRYPOINT ["handoff"]
CMD ["serve"]
