# syntax=docker/dockerfile:1
# Build: compile TypeScript and the SQLite driver, then keep only production dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run: a small image with no compiler, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOOKBRIDGE_CONFIG=/app/config/hookbridge.yaml
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY templates ./templates
COPY config ./config
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
# Mount your config (and optionally your templates folder, set by `templates:` in the config)
# over these; the SQLite store lives in /app/data unless store.url points at Redis.
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/hookbridge.js"]
CMD ["start"]
