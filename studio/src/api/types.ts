/** Response shapes of the routes the Studio reads (the subset it uses; /openapi.json has the full ones). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface MediaInfo {
  kind: 'video' | 'audio' | 'image' | 'font';
  duration_ms: number;
  video?: { width: number; height: number; display_width: number; display_height: number; fps: { num: number; den: number } };
  audio?: { sample_rate: number; channels: number };
}

export interface Asset {
  id: string;
  kind: 'video' | 'audio' | 'image' | 'font';
  original_filename: string;
  size_bytes: number;
  media_info: MediaInfo;
  created_at: string;
}

export interface Artifact {
  id: string;
  kind: string;
  asset_id: string | null;
  meta: Record<string, unknown>;
  created_at: string;
}

export interface AssetWithArtifacts extends Asset {
  artifacts: Artifact[];
}

/** GET /media-v2/assets/:id/filmstrip: tiles in a grid of `columns` × `rows` cells of one size. */
export interface FilmstripIndex {
  asset_id: string;
  image_url: string;
  count: number;
  columns: number;
  rows: number;
  tile_width: number;
  tile_height: number;
  width: number;
  height: number;
  /** Source duration the tiles spread over (tile k shows k·duration_ms/count); 0 for a still. */
  duration_ms: number;
  tiles: { index: number; time_ms: number; x: number; y: number; width: number; height: number }[];
}

/** GET /media-v2/assets/:id/waveform (one level, no window): interleaved [min, max] per bucket in -scale..scale. */
export interface WaveformLevel {
  asset_id: string;
  scale: number;
  audio_duration_ms: number;
  level: number;
  bucket_ms: number;
  first_bucket: number;
  length: number;
  data: number[];
}

export interface ProjectSummary {
  id: string;
  name: string;
  version: number;
  updated_at: string;
}

export interface ProjectRecord extends ProjectSummary {
  document: { id?: string; name: string; sequences: unknown[] };
}

export interface Job {
  id: string;
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  error: { code: string; message: string } | null;
  profile: string | null;
  output: string | null;
  created_at: string;
  finished_at: string | null;
  result: unknown;
}

export interface ParamDescriptor {
  name?: string;
  type?: string;
  min?: number;
  max?: number;
  default?: unknown;
  animatable?: boolean;
}

export interface Presets {
  transitions: Array<{ id: string; label?: string; name?: string; default_duration_ms?: number }>;
  filters: Array<{ type: string; label?: string; params?: Record<string, ParamDescriptor> | ParamDescriptor[] }>;
  style_presets: Array<{ id: string; label?: string }>;
  profiles: Array<{ id: string; label?: string; width?: number; height?: number }>;
  caption_styles?: Array<string | { id: string }>;
  [k: string]: unknown;
}
