/**
 * Artifact kinds (ARCHITECTURE.md "Artifacts"). Analysis kinds are produced by a model or an analyser and must
 * say which one (`model_used`) and how long it took (`duration_ms`); derived kinds (proxies, renders, masks cut
 * from a region summary, fonts, LUTs) need only the common fields.
 */
export const ANALYSIS_ARTIFACT_KINDS = [
  'video_region_summary',
  'visual_meta',
  'video_shot_list',
  'audio_semantic_timeline',
  'asr_transcript',
  'stabilise_transforms',
  'multicam_alignment',
  'highlights',
  'focus_automation',
] as const;

export const DERIVED_ARTIFACT_KINDS = [
  'mask',
  'proxy',
  'render',
  'render_segment',
  'anonymised_video',
  'font',
  'lut',
  'filmstrip',
  'waveform',
] as const;

export const ARTIFACT_KINDS = [...ANALYSIS_ARTIFACT_KINDS, ...DERIVED_ARTIFACT_KINDS] as const;

export type AnalysisArtifactKind = (typeof ANALYSIS_ARTIFACT_KINDS)[number];
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export function isArtifactKind(value: unknown): value is ArtifactKind {
  return typeof value === 'string' && (ARTIFACT_KINDS as readonly string[]).includes(value);
}

export function isAnalysisKind(kind: ArtifactKind): kind is AnalysisArtifactKind {
  return (ANALYSIS_ARTIFACT_KINDS as readonly string[]).includes(kind);
}
