import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import type { Database } from '../db/schema.js';
import { MediaLibrary } from './library.js';
import { PostgresMediaStore } from './postgres-store.js';
import { S3MediaStore } from './s3-store.js';
import type { MediaStore } from './store.js';

/** The configured store: PostgreSQL unless MEDIA_STORE=s3. */
export function createMediaStore(config: Pick<Config, 'MEDIA_STORE' | 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'>, db: Kysely<Database>): MediaStore {
  if (config.MEDIA_STORE === 's3') {
    return new S3MediaStore({
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    });
  }
  return new PostgresMediaStore(db);
}

export function createMediaLibrary(config: Parameters<typeof createMediaStore>[0], db: Kysely<Database>): MediaLibrary {
  return new MediaLibrary(db, createMediaStore(config, db));
}

export { MediaLibrary, describeMedia, type MediaDescriptor } from './library.js';
