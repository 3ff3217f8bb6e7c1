# Build stage: compile the release binary.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
RUN cargo build --release --locked && strip target/release/meldcode

# Runtime stage: a small Debian with CA certificates, an unprivileged user and a data volume.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin meldcode \
    && mkdir -p /data && chown meldcode /data
COPY --from=build /src/target/release/meldcode /usr/local/bin/meldcode
USER meldcode
WORKDIR /data
VOLUME ["/data"]
ENV DATABASE_URL=/data/meldcode.db \
    MELDCODE_ADDR=0.0.0.0:3000
EXPOSE 3000
ENTRYPOINT ["meldcode"]
CMD ["serve"]
