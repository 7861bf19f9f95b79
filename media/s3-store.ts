import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { MediaStore } from './store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** Another S3-compatible service than AWS (MinIO, Ceph, R2...); addressed by path. */
  endpoint?: string | undefined;
  /** Without them, the SDK's standard credential chain (environment, profile, instance role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Key prefix inside the bucket. */
  prefix?: string;
}

/** 5 MiB is S3's smallest multipart part; one part in flight keeps an upload's memory near it. */
const PART_BYTES = 5 * 1024 * 1024;

/** Bytes as objects in an S3 bucket, uploaded in parts as they arrive and downloaded as a stream. */
export class S3MediaStore implements MediaStore {
  readonly name = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    const config: S3ClientConfig = {
      region: options.region,
      // Checksums only where S3 requires them: S3-compatible servers differ in which trailing
      // checksums they accept, and every part is already checked by its Content-MD5/ETag.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
    };
    this.client = new S3Client(config);
  }

  private key(id: string): string {
    return `${this.options.prefix ?? 'media/'}${id}`;
  }

  async write(id: string, bytes: AsyncIterable<Uint8Array>, mimeType: string): Promise<number> {
    let size = 0;
    async function* counted() {
      for await (const chunk of bytes) {
        size += chunk.byteLength;
        yield chunk;
      }
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: this.key(id), Body: Readable.from(counted()), ContentType: mimeType },
      partSize: PART_BYTES,
      queueSize: 1,
      leavePartsOnError: false,
    });
    await upload.done();
    return size;
  }

  async read(id: string): Promise<Readable> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(id) }));
    return object.Body as Readable;
  }

  async remove(id: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(id) }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
