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
  STABILISE_TRANSFORMS_MISSING:
    'A clip asks for stabilisation but no stabilise_transforms artifact of its asset (in the right mode: tripod or not) was given to the plan; it renders unstabilised (meta.stabilise_warnings lists it).',
  SLOWMO_FALLBACK:
    'slowmo_quality high/medium needs minterpolate within a pixel budget; without it (or for larger pictures) frames are blended (fast) instead.',
  TRANSITION_CLAMPED: 'A transition is longer than its shorter neighbour clip; clamped to it.',
  TRANSITION_SKIPPED:
    'A transition joins a clip that is not rendered, clips that do not meet on one frame, or a cut that already has one; left out.',
  TRANSITION_PARAMS_IGNORED: 'A transition has params, which xfade transitions do not take; ignored.',
  CLIP_OVERLAP_TRIMMED:
    'Clips of one track overlap once probed lengths are known; the overlapping frames are left out.',
  MISSING_ARTIFACT:
    'A caption item names an asr_transcript artifact that was not given to the plan (or is of another kind); those captions are not drawn.',
  TRANSCRIPT_INVALID:
    "A caption item's asr_transcript artifact has no valid transcript data; those captions are not drawn.",
  REGIONS_MISSING:
    'A region-aware filter (face_blur, skin_smooth, teeth_whiten, eye_enhance, or lut with region: true) is on a clip whose asset has no mask artifact in the plan (or on an image); the filter is skipped and meta.skipped_filters lists it.',
  PARAM_CLAMPED: 'A filter param (or keyframe value) is outside its descriptor range; clamped to the range.',
  TEXT_ANIMATION_SHORTENED:
    "A text layer's in and out animations together are longer than the layer; both are shortened to fit.",
  TEXT_ALIGN_FALLBACK:
    'A text layer has more lines than can be drawn one filter per line; drawn as one left-aligned block.',
  TEXT_ALIGN_APPROXIMATE:
    'Left/right-aligned lines in a block anchored elsewhere: the block width is estimated from character counts.',
  FILTERGRAPH_INLINE_LONG:
    'The filtergraph is long and no work_dir was given for a script file; it may exceed the OS argument limit.',
  DUCK_KEY_INVALID:
    "An audio track's duck_under.track_id names no other track with sound; the track is not ducked.",
  DUCK_SPEECH_UNKNOWN:
    'A clip on a key track of duck_under has no audio_semantic_timeline artifact (speech windows); with method auto the track ducks by sidechaincompress instead, with method gain that clip does not duck it.',
  MATTE_IGNORED:
    "A clip's matte cannot apply (not on an overlay track, or its asset is missing); the clip renders unmatted.",
  CLIP_TRANSITION_CLAMPED:
    "A clip's transition_in and transition_out together are longer than the clip; both are shortened in proportion.",
  LOOP_IGNORED: 'A clip asks for loop on a video or overlay track; loop repeats sound on audio tracks only, the clip plays once.',
  TEXT_BOLD_UNAVAILABLE:
    'A text layer asks for bold but its family has no Bold face installed (fontconfig), or its font is an uploaded asset (one face); it is drawn in the face it has.',
  TEXT_OVERFLOW:
    'A text layer is estimated wider or taller than the canvas (after its fit: wrap or shrink); part of it is cut off.',
  CAPTION_LINK_IGNORED:
    "A caption item's source_clip_id names no clip of a video or audio track, or a reversed/still clip; the captions are placed by start_ms instead.",
} as const;

export type PlanWarningCode = keyof typeof PLAN_WARNINGS;
