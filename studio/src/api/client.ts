/**
 * The Studio's only door to cutroom: the public HTTP API with a Bearer key and an optional X-Env header. Errors
 * come back as the API's envelope ({error:{code,message,details}}) turned into ApiError, so every panel can show
 * the server's own message. Uploads use XHR because fetch has no upload progress events.
 */
import type {
  Asset,
  AssetWithArtifacts,
  FilmstripIndex,
  Job,
  Page,
  Presets,
  ProjectRecord,
  ProjectSummary,
  WaveformLevel,
} from './types';

export interface Session {
  key: string;
  /** Empty = the key's first allowed env. */
  env: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What a person should read for a failed call: 401/403 get a sign-in hint on top of the server's message. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return `Not signed in: ${err.message}. Check the API key.`;
    if (err.status === 403) return `Not allowed: ${err.message}.`;
    return `${err.message} (${err.code})`;
  }
  return err instanceof Error ? err.message : String(err);
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  return parseError(res.status, text);
}

function parseError(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (body.error?.code)
      return new ApiError(status, body.error.code, body.error.message ?? body.error.code, body.error.details ?? {});
  } catch {
    // not the envelope: fall through
  }
  return new ApiError(status, `HTTP_${status}`, text.slice(0, 200) || `HTTP ${status}`);
}

export interface UploadHandle {
  promise: Promise<{ asset: Asset; deduplicated: boolean }>;
  abort(): void;
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export type Api = ReturnType<typeof createApi>;

export function createApi(session: Session, base = '') {
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${session.key}`,
    ...(session.env ? { 'x-env': session.env } : {}),
    ...extra,
  });

  async function call<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await fetch(base + url, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  async function blob(url: string, signal?: AbortSignal): Promise<{ blob: Blob; headers: Headers }> {
    const res = await fetch(base + url, { headers: headers(), ...(signal ? { signal } : {}) });
    if (!res.ok) throw await errorOf(res);
    return { blob: await res.blob(), headers: res.headers };
  }

  return {
    session,
    /** origin: `source` = uploads and other media, `render` = render outputs (they carry a render artifact). */
    listAssets: (origin: 'source' | 'render', cursor?: string) =>
      call<Page<Asset>>(
        'GET',
        `/media-v2/assets?limit=200&origin=${origin}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    getAsset: (id: string) => call<AssetWithArtifacts>('GET', `/media-v2/assets/${encodeURIComponent(id)}`),
    artifactContent: (id: string, signal?: AbortSignal) =>
      blob(`/media-v2/artifacts/${encodeURIComponent(id)}/content`, signal),
    /** Tile index of the asset's thumbnail sprite (made by the server on first request). */
    filmstrip: (id: string, height: number) =>
      call<FilmstripIndex>('GET', `/media-v2/assets/${encodeURIComponent(id)}/filmstrip?height=${height}`),
    /** The sprite JPEG at the index's image_url (a same-origin path; needs the key like every route). */
    filmstripImage: (imageUrl: string) => blob(imageUrl),
    /** Min/max peaks of one zoom level (0 = 4 ms buckets .. 4 = 1.024 s) over the whole asset. */
    waveform: (id: string, level: number) =>
      call<WaveformLevel>('GET', `/media-v2/assets/${encodeURIComponent(id)}/waveform?level=${level}`),
    /** Streamed multipart upload of one file with progress (0..1 of the bytes sent). */
    upload(file: File, onProgress: (fraction: number) => void): UploadHandle {
      const xhr = new XMLHttpRequest();
      const promise = new Promise<{ asset: Asset; deduplicated: boolean }>((resolve, reject) => {
        xhr.open('POST', `${base}/media-v2/assets`);
        for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable) onProgress(e.loaded / e.total);
        };
        xhr.onload = () => {
          if (xhr.status >= 200 && xhr.status < 300) {
            const body = JSON.parse(xhr.responseText) as { asset: Asset; meta: { deduplicated: boolean } };
            resolve({ asset: body.asset, deduplicated: body.meta.deduplicated });
          } else reject(parseError(xhr.status, xhr.responseText));
        };
        xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload failed: network error'));
        xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'the upload was cancelled'));
        const form = new FormData();
        form.append('file', file, file.name);
        xhr.send(form);
      });
      return { promise, abort: () => xhr.abort() };
    },
    presets: () => call<Presets>('GET', '/video/presets'),
    listProjects: () => call<Page<ProjectSummary>>('GET', '/video/timeline/projects?limit=50'),
    getProject: (id: string) => call<ProjectRecord>('GET', `/video/timeline/projects/${encodeURIComponent(id)}`),
    createProject: (document: unknown) => call<ProjectRecord>('POST', '/video/timeline/projects', document),
    replaceProject: (id: string, document: object, version: number) =>
      call<ProjectRecord>('PUT', `/video/timeline/projects/${encodeURIComponent(id)}`, { ...document, version }),
    /**
     * A preview window of the timeline the editor holds (POST /video/preview), so an edit is previewed at once,
     * not after its autosave. The response is returned unread: the player streams its fragmented MP4 into a
     * MediaSource while the server is still encoding it.
     */
    async previewStream(
      q: { timeline: unknown; start_ms: number; duration_ms: number; profile?: string },
      signal?: AbortSignal,
    ): Promise<Response> {
      const res = await fetch(`${base}/video/preview`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(q),
        ...(signal ? { signal } : {}),
      });
      if (!res.ok || !res.body) throw await errorOf(res);
      return res;
    },
    submitRender: (body: { project_id: string; sequence_id: string; profile: string; output?: string }) =>
      call<{ job: Job }>('POST', '/video/render', body),
    listJobs: () => call<{ jobs: Job[] }>('GET', '/video/render/jobs?limit=20'),
    cancelJob: (id: string) => call<{ job: Job }>('POST', `/video/render/jobs/${encodeURIComponent(id)}/cancel`),
    jobOutput: (id: string) => blob(`/video/render/jobs/${encodeURIComponent(id)}/output`),
    /** Server-Sent Events read through fetch (EventSource cannot send the Authorization header). */
    async jobEvents(id: string, onEvent: (e: SseEvent) => void, signal: AbortSignal): Promise<void> {
      const res = await fetch(`${base}/video/render/jobs/${encodeURIComponent(id)}/events`, {
        headers: headers({ accept: 'text/event-stream' }),
        signal,
      });
      if (!res.ok || !res.body) throw await errorOf(res);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of chunk.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length > 0) onEvent({ event, data: JSON.parse(data.join('\n')) as unknown });
        }
      }
    },
    post: <T>(url: string, body: unknown) => call<T>('POST', url, body),
    get: <T>(url: string) => call<T>('GET', url),
  };
}
