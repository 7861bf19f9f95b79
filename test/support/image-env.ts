/**
 * What the image (`Dockerfile`) sets for every process, so that a process a test or bench spawns
 * runs as it does in production. The spawner's own environment comes after it and wins: that is
 * how a bench runs the other way (`MALLOC_ARENA_MAX=16`, glibc's default on 2 cores).
 */
export const IMAGE_ENV = { MALLOC_ARENA_MAX: '2' } as const;
