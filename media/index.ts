import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import type { Database } from '../db/schema.js';
import { MediaLibrary } from './library.js';
import { PostgresMediaStore } from './postgres-store.js';
import type { MediaStore } from './store.js';

/**
 * The configured store: PostgreSQL unless MEDIA_STORE=s3. The AWS SDK (about 10 MB of RSS) is
 * imported only by a process that stores in S3.
 */
export async function createMediaStore(config: Pick<Config, 'MEDIA_STORE' | 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'>, db: Kysely<Database>): Promise<MediaStore> {
  if (config.MEDIA_STORE === 's3') {
    const { S3MediaStore } = await import('./s3-store.js');
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

export async function createMediaLibrary(config: Parameters<typeof createMediaStore>[0], db: Kysely<Database>): Promise<MediaLibrary> {
  return new MediaLibrary(db, await createMediaStore(config, db));
}

export { MediaLibrary, describeMedia, type MediaDescriptor } from './library.js';
