# Stage 1 of the seed-style build: the base every application image starts from.
# BASE is the bench's debootstrap'd bookworm minbase, imported with `docker import` (it stands for a
# pulled debian:bookworm: no registry is reachable here). The APT sources are the build machine's
# own, copied into the build context by bench/run.sh, so apt reads the same archive bundler reads.
ARG BASE
FROM ${BASE}
ENV LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive
COPY apt/ /etc/apt/sources.list.d/
# The runtime set bundler installs (DebianStage.RUNNER_PACKAGES plus the Python), no Recommends.
RUN rm -f /etc/apt/sources.list \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      python3.11 nginx-light uwsgi-core uwsgi-plugin-python3 supervisor cron bash tzdata ca-certificates \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 1000 --gid www-data --create-home --shell /bin/bash app
