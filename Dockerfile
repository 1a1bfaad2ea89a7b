# syntax=docker/dockerfile:1
# Understudy in a container: the self-contained release binary (scripts/release) on a slim
# Debian. Build and run with `docker compose up`, which publishes 127.0.0.1:4566 on the host
# only. Both stages are Debian 12 (bookworm), so the binary meets the glibc, libstdc++,
# OpenSSL 3, zlib and SQLite it was linked against.

# --- build: the Swift 6.3 toolchain on bookworm -------------------------------------------
FROM swift:6.3.1-bookworm AS build
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libssl-dev zlib1g-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Everything the manifest names (Sources, Plugins, Tests, scripts); .dockerignore keeps build
# folders, the virtualenv and .git out, so `understudy --version` says commit "unknown" here.
COPY . .
# The cache mount keeps .build-static (dependencies and objects) between image builds.
RUN --mount=type=cache,target=/src/.build-static \
    scripts/release /out/understudy

# --- runtime: no Swift toolchain, only what `ldd` lists ---------------------------------------
FROM debian:bookworm-slim
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        libssl3 zlib1g libsqlite3-0 libstdc++6 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 understudy \
    && useradd --system --uid 10001 --gid understudy --home-dir /data --no-create-home --shell /usr/sbin/nologin understudy \
    && mkdir -p /data /etc/understudy \
    && chown understudy:understudy /data
COPY --from=build /out/understudy /usr/local/bin/understudy
# A new named volume starts as a copy of /data here, so it is the user's too.
VOLUME /data
USER understudy:understudy
WORKDIR /data
EXPOSE 4566
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:4566/_understudy/health"]
ENTRYPOINT ["understudy"]
# Inside the container it must bind 0.0.0.0 to be reachable through the published port; the
# host side stays loopback-only (docker-compose.yml publishes 127.0.0.1:4566).
CMD ["serve", "--host", "0.0.0.0", "--port", "4566", "--data-dir", "/data"]
