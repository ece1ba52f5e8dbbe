/**
 * Warning codes compile() may return, as data (for docs and the API): `{code, message, path}` in
 * RenderPlan.warnings. A warning means the plan renders, but not exactly as written.
 */
export const PLAN_WARNINGS = {
  MISSING_ASSET:
    'A clip names an asset that is not among the sources; it renders as a gap and meta.missing_assets lists it (the render service refuses to render such a plan).',
  NO_AUDIO_STREAM: 'A clip on an audio track uses an asset without audio; it is silent.',
  NO_VIDEO_STREAM: 'A clip on a video track uses an asset without video; only its sound is used.',
  CLIP_OUT_OF_SOURCE: 'in_ms is at or beyond the end of the source; the clip is left out.',
  CLIP_OUT_CLAMPED: 'out_ms is beyond the end of the source; clamped to the source duration.',
  CLIP_TOO_SHORT: 'The clip is shorter than one output frame; left out.',
  STILL_DURATION_DEFAULTED: 'An image clip has neither duration_ms nor out_ms; 5000 ms is used.',
  REVERSE_TOO_LONG:
    'reverse applies to at most 30 s of source (ffmpeg buffers every frame); the clip plays forwards.',
  STABILISE_NOT_APPLIED: 'Stabilisation is requested but not applied by this renderer yet.',
  SLOWMO_QUALITY_IGNORED: 'Motion-interpolated slow motion is not implemented; frames are repeated.',
  TRANSITION_CLAMPED: 'A transition is longer than its shorter neighbour clip; clamped to it.',
  TRANSITION_SKIPPED:
    'A transition joins a clip that is not rendered, clips that do not meet on one frame, or a cut that already has one; left out.',
  TRANSITION_PARAMS_IGNORED: 'A transition has params, which xfade transitions do not take; ignored.',
  CLIP_OVERLAP_TRIMMED:
    'Clips of one track overlap once probed lengths are known; the overlapping frames are left out.',
  CAPTIONS_NOT_RENDERED:
    'Caption tracks are not rendered by this version; the track is left out of the picture.',
  FILTERGRAPH_INLINE_LONG:
    'The filtergraph is long and no work_dir was given for a script file; it may exceed the OS argument limit.',
} as const;

export type PlanWarningCode = keyof typeof PLAN_WARNINGS;
