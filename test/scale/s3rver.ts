/**
 * An in-process fake S3 (s3rver) on 127.0.0.1 with a random port and a temp directory, for the S3 store tests
 * and the multi-worker test. s3rver checks SigV4 signatures against its built-in S3RVER/S3RVER key pair.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;

export interface FakeS3 {
  endpoint: string;
  bucket: string;
  directory: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The env a cutroom process needs to use this bucket (storeFromEnv). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeS3(bucket = `cr-${randomBytes(4).toString('hex')}`): Promise<FakeS3> {
  const directory = await mkdtemp(join(tmpdir(), 'cutroom-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    endpoint,
    bucket,
    directory,
    credentials,
    env: {
      CUTROOM_S3_BUCKET: bucket,
      CUTROOM_S3_ENDPOINT: endpoint,
      CUTROOM_S3_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
