# syntax=docker/dockerfile:1
# Node 24, the active LTS (Node 20 reached its end of life in April 2026). Slim: Debian without the build tools
# the service never needs (bcrypt and the embedded database come as prebuilt packages).
# Build stage: all dependencies, transpile TypeScript with esbuild (type-checking is CI's `npm run typecheck`).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/compile.mjs ./scripts/
COPY domain ./domain
COPY application ./application
COPY adapters ./adapters
COPY bootstrap ./bootstrap
RUN npm run build

# Runtime stage: production dependencies and compiled code only, as an unprivileged user.
FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The mail templates, read at each send: mount a folder over this one (or set MAIL_TEMPLATES_DIR) to replace them.
COPY templates ./templates
RUN mkdir -p /app/data && chown node:node /app/data
# The embedded database (when DATABASE_URL is unset) and the development keys live here: a volume, so that they
# outlive the container. Created above, owned by `node`, so a fresh named volume starts writable.
VOLUME ["/app/data"]
USER node
EXPOSE 8000
# Readiness, not liveness: healthy only once the database answers and migrations are applied, and unhealthy
# while the database is down or the service drains after SIGTERM, so compose's `service_healthy` and a proxy
# wait for a container that can actually serve.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/bootstrap/main.js"]
