# Base images are pinned by digest (docs/decisions/0034): Cloud Build passes the
# digests as build arguments (_PYTHON_DIGEST, _NODE_DIGEST substitutions of the trigger)
# and the pull verifies the content against them. They cannot be looked up from a machine
# without registry access: take them from `docker buildx imagetools inspect python:3.11-slim`
# (the index digest) when raising the base, and review the change like code. With no
# digest the FROM line is invalid and the build stops.
ARG PYTHON_IMAGE=python:3.11-slim
ARG PYTHON_DIGEST
ARG NODE_IMAGE=node:24-slim
ARG NODE_DIGEST

# One image for every function: Cloud Run picks the function with FUNCTION_TARGET
# (infra/modules/platform/run.tf sets it and FUNCTION_SIGNATURE_TYPE from the manifest).
#   docker build -t aia .
#   docker run -e FUNCTION_TARGET=api -p 8080:8080 aia   # then GET /ready

# The web pages' front-end assets (docs/decisions/0023-web-stack.md): scripts/build-web.sh,
# the script `make install` runs, installs the npm packages pinned in web/package-lock.json
# and vendors what pages load into shared/web/static/vendor/ (devDependencies, the browser
# tests' axe-core, left out).
FROM ${NODE_IMAGE}@${NODE_DIGEST} AS web-assets
WORKDIR /src
COPY web/package.json web/package-lock.json web/
COPY scripts/build-web.sh scripts/
RUN npm_config_omit=dev bash scripts/build-web.sh

FROM ${PYTHON_IMAGE}@${PYTHON_DIGEST}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# numpy's float kernels stop at AVX2 (x86-64-v3) on every Cloud Run CPU: its AVX-512
# kernels round some results (exp, log in float32) differently, and a simulation resumed
# on another instance must compute the same bits (docs/decisions/0047).
ENV NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"

WORKDIR /app

# Dependencies from the lock, every file checked against its sha256 (a changed or
# substituted package fails the build); its layer changes only with the lock.
COPY requirements.lock ./
RUN pip install --no-compile --require-hashes -r requirements.lock

# Then the package itself, with no dependency resolution (all of them are locked above).
COPY pyproject.toml ./
COPY shared/ shared/
# what pages load from /assets/vendor/ (shared/web/render.py SCRIPTS), served by the app;
# scripts/check-image.sh proves the installed package has them
COPY --from=web-assets /src/shared/web/static/vendor/ shared/web/static/vendor/
RUN pip install --no-compile --no-deps --no-build-isolation . \
    && rm -rf build shared/*.egg-info

COPY functions/ functions/
COPY workflows/ workflows/

RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin aia
USER 10001:10001

ENV PORT=8080 \
    FUNCTION_TARGET=api
EXPOSE 8080

# Our launcher around functions-framework (docs/decisions/0042): its app and server, plus
# GET /ready for the startup probe; FUNCTION_TARGET and PORT from the environment, the
# signature type from the manifest. Python is PID 1 and gunicorn's arbiter takes SIGTERM.
CMD ["python", "-m", "shared.runtime.function_server"]
