import { sql } from 'kysely';
import { binaryPath, ffmpegVersion } from '../../ffmpeg/binaries.js';
import { HealthSchema } from '../schemas.js';
import type { HttpServices } from '../services.js';
import type { RouteModule } from '../types.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function healthRoutes({ version }: { version: string }): RouteModule<HttpServices> {
  return (_app, { services, route }) => {
    route({
      method: 'GET',
      url: '/healthz',
      operationId: 'health',
      summary: 'Liveness: database, ffmpeg and ffprobe availability. No API key needed.',
      tags: ['system'],
      auth: false,
      responses: {
        200: { description: 'Everything needed is available', schema: HealthSchema },
        503: { description: 'Something is missing (see the failing part)', schema: HealthSchema },
      },
      handler: async ({ reply }) => {
        const ping = services.db ? sql`select 1`.execute(services.db) : services.tenants.getTenant('healthz');
        const db = await ping
          .then(() => ({
            ok: true,
            ...(services.config?.dialect ? { dialect: services.config.dialect } : {}),
          }))
          .catch((err: unknown) => ({ ok: false, error: message(err) }));
        const ffmpeg = await ffmpegVersion()
          .then((v) => ({ ok: true, version: v }))
          .catch((err: unknown) => ({ ok: false, error: message(err) }));
        let ffprobe: { ok: boolean; path?: string; error?: string };
        try {
          ffprobe = { ok: true, path: binaryPath('ffprobe') };
        } catch (err) {
          ffprobe = { ok: false, error: message(err) };
        }
        const ok = db.ok && ffmpeg.ok && ffprobe.ok;
        reply.code(ok ? 200 : 503);
        return { status: ok ? 'ok' : 'degraded', version, db, ffmpeg, ffprobe };
      },
    });
  };
}
