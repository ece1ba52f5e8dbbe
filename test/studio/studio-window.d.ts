// The probes the Studio puts on `window` (see studio/src), read by the end-to-end tests and bench/studio.ts.
export {};
declare global {
  interface Window {
    __studioUploads?: Array<{ name: string; fraction: number }>;
    __studioPreview?: { requests: number; lastStartMs: number | null; windowStart: number; ready: boolean; requestedAt?: number; firstFrameMs?: number; headersMs?: number; requestedEpoch?: number; marks?: Record<string, number> };
    __studioPerf?: { lastDragMs: number; dragUpdates: number; moveAt?: number };
  }
}
