# One image for the three production processes (api, worker, gateway); compose picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Two malloc arenas instead of glibc's default of 8 a core: a worker held 40 to 150 MB less with
# the same conversations cached, at no more CPU a message (README, Benchmarks: bench:scale).
ENV MALLOC_ARENA_MAX=2
COPY package.json package-lock.json ./
# npm ci refuses this lock: the registry mirror lacks some platforms of optional native packages.
RUN npm install --no-audit --no-fund
COPY . .
USER node
# Node itself, not `npx tsx`: npx and tsx's command line would each keep a Node process of their
# own beside the service (about 125 MB of RSS together) and stand between it and the container's signals.
CMD ["node", "--import", "tsx", "api/main.ts"]
