import { join } from 'node:path';
import { cutroomError } from '../errors.js';
import { createLocalStore } from './local-store.js';
import type { ObjectStore } from './object-store.js';

/**
 * The object store chosen by configuration. With CUTROOM_S3_BUCKET set: an S3-compatible bucket
 * (CUTROOM_S3_ENDPOINT for MinIO/others — path-style URLs are then used, CUTROOM_S3_REGION, CUTROOM_S3_PREFIX,
 * credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the SDK's default chain), downloads for ffmpeg
 * cached under `{dataDir}/cache/s3`. Otherwise the local directory `{dataDir}/objects` (a shared mount works for
 * several machines too). The S3 adapter (and the AWS SDK, ≈ 0.15 CPU-s to load) is imported only when chosen.
 */
export async function storeFromEnv(env: NodeJS.ProcessEnv, dataDir: string): Promise<ObjectStore> {
  const bucket = env.CUTROOM_S3_BUCKET;
  if (!bucket) return createLocalStore({ root: join(dataDir, 'objects') });
  const issues: Array<{ path: string; message: string }> = [];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    issues.push({ path: 'CUTROOM_S3_BUCKET', message: 'must be a valid S3 bucket name' });
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (Boolean(id) !== Boolean(secret))
    issues.push({
      path: id ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID',
      message: 'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither',
    });
  if (env.CUTROOM_S3_ENDPOINT && !/^https?:\/\//.test(env.CUTROOM_S3_ENDPOINT))
    issues.push({ path: 'CUTROOM_S3_ENDPOINT', message: 'must be an http(s) URL' });
  if (issues.length > 0)
    throw cutroomError('VALIDATION_FAILED', `invalid S3 configuration: ${issues[0]!.message}`, { issues });
  const { createS3Store } = await import('./s3-store.js');
  return createS3Store({
    bucket,
    ...(env.CUTROOM_S3_PREFIX ? { prefix: env.CUTROOM_S3_PREFIX } : {}),
    ...(env.CUTROOM_S3_ENDPOINT ? { endpoint: env.CUTROOM_S3_ENDPOINT, forcePathStyle: true } : {}),
    region: env.CUTROOM_S3_REGION || env.AWS_REGION || 'us-east-1',
    ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret } } : {}),
    cacheDir: join(dataDir, 'cache', 's3'),
  });
}
