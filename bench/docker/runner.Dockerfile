# Stage 3 of the seed-style build: base + a virtualenv in /home/app/app with the wheelhouse installed
# (`pip install --no-index --find-links`), and a trivial entrypoint. The wheelhouse and pip are
# bind-mounted from the compiler image, so no wheel is left in the image.
ARG BASE
ARG COMPILER
FROM ${COMPILER} AS compiler
FROM ${BASE}
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER app
WORKDIR /home/app
ARG PACKAGE
RUN --mount=type=bind,from=compiler,source=/wheelhouse,target=/wheelhouse \
    --mount=type=bind,from=compiler,source=/tools,target=/tools \
    python3.11 -m venv --without-pip /home/app/app \
 && set -- /tools/pip-*.whl \
 && /home/app/app/bin/python "$1/pip" install -q --no-cache-dir --disable-pip-version-check \
      --no-index --find-links /wheelhouse "${PACKAGE}"
ENV PATH=/home/app/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EXPOSE 8080 8081
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["bash"]
