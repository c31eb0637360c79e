# mpa-admission container image.
#   docker build -t mpa-admission:latest .
# Stage 1 builds the release binary with the Swift runtime, OpenSSL, nghttp2 and libstdc++ linked
# in statically (Package.swift: fewer resident pages than mapping the shared libraries); stage 2
# is a slim Debian whose own libc/libm/libgcc_s are all that binary still needs.

FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libssl-dev libnghttp2-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest and its test directories first, so the dependency layer is cached.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# The linker script that makes the release link take libstdc++.a (Package.swift).
COPY Linking ./Linking
RUN swift package resolve
RUN swift build -c release --product mpa-admission --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/mpa-admission" /out/mpa-admission

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# The same numeric user the Deployment runs as (runAsUser/runAsGroup 65532).
RUN groupadd --system --gid 65532 mpa \
    && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin mpa
COPY --from=build /out/mpa-admission /usr/local/bin/mpa-admission
USER 65532:65532
# 8000: the webhook (TLS); 8944: /metrics, /healthz, /readyz (plain HTTP).
EXPOSE 8000 8944
ENTRYPOINT ["/usr/local/bin/mpa-admission"]
CMD ["serve", "--port", "8000", "--tls-cert-file", "/etc/mpa-tls-certs/tls.crt", "--tls-private-key", "/etc/mpa-tls-certs/tls.key", "--metrics-address", ":8944"]
