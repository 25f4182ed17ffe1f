# Stage 2 of the seed-style build: base + build tools, then `pip wheel` of the application into
# /wheelhouse. Its find-links are the Python corpus and the application's wheel, both copied into the
# build context by bench/run.sh (as the seed mounted them into its `docker run`).
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      build-essential python3.11-dev python3-pip python3-setuptools python3-wheel \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
COPY corpus/ /corpus/
# pip itself, for the runner (whose base has Python but no pip) to install the wheelhouse with.
RUN python3.11 -m pip wheel -q --no-cache-dir --disable-pip-version-check --no-index \
      --find-links /corpus --wheel-dir /tools pip
COPY app/ /app/
# The application: changing its wheel (a new version) re-runs everything from here on.
ARG PACKAGE
RUN python3.11 -m pip wheel --no-cache-dir --disable-pip-version-check --progress-bar off \
      --no-index --find-links /corpus --find-links /app --wheel-dir /wheelhouse "${PACKAGE}"
