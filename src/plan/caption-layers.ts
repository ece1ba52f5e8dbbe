/**
 * Caption tracks burned into the composite: each caption item's transcript (an `asr_transcript` artifact given
 * in CompileInput.artifacts) becomes an .ass file written next to the plan (user text is safer in a file than
 * in a filtergraph), drawn with libass's `subtitles` filter.
 *
 * Timing: the composite's t = 0 is the range start, so transcript time 0 (the item's start_ms on the timeline)
 * falls at `start_ms - rangeStart` in the file; events before 0 are cut by buildAssSubtitles. ASS times are in
 * centiseconds and libass shows an event for frames with start <= pts < end, so a word starting on a frame
 * boundary appears on exactly that frame.
 *
 * Fonts: libass finds the family by name among the files of `fontsdir` (the resolved font file's folder) and
 * fontconfig's. A missing transcript is a MISSING_ARTIFACT warning and the item is left out, never silently.
 */
import type { Warning } from '../errors.js';
import { buildAssSubtitles } from './captions/build-ass-subtitles.js';
import { TranscriptSchema } from './captions/transcript.js';
import { escapeFilterPath } from './format.js';
import type { CaptionTrack, MediaClip, Track } from '../timeline/index.js';
import type { Transcript } from './captions/transcript.js';
import type { PlanArtifact, PlanFile } from './types.js';

export const DEFAULT_CAPTION_FAMILY = 'DejaVu Sans';

export interface CaptionLayersInput {
  tracks: Track[];
  artifacts: Record<string, PlanArtifact> | undefined;
  canvas: { width: number; height: number };
  /** Timeline ms of the composite's first frame, and of its end. */
  rangeStartMs: number;
  rangeEndMs: number;
  workDir: string;
  /** Font file for a family, or undefined when the caller has none. */
  resolveFont: (family: string) => string | undefined;
}

export interface CaptionLayersResult {
  /** Filters for the composite, in track order. */
  filters: string[];
  files: PlanFile[];
  warnings: Warning[];
  /** Artifact ids read (for meta.dependency_notices). */
  usedArtifacts: string[];
  fontIssues: Array<{ path: string; font: string }>;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

export function compileCaptionLayers(o: CaptionLayersInput): CaptionLayersResult {
  const result: CaptionLayersResult = {
    filters: [],
    files: [],
    warnings: [],
    usedArtifacts: [],
    fontIssues: [],
  };
  let index = 0;
  o.tracks.forEach((track, ti) => {
    if (track.kind !== 'caption' || track.hidden) return;
    (track as CaptionTrack).items.forEach((item, li) => {
      const path = `tracks[${ti}].items[${li}]`;
      const artifact = o.artifacts?.[item.transcript_artifact_id];
      if (!artifact || artifact.kind !== 'asr_transcript') {
        result.warnings.push({
          code: 'MISSING_ARTIFACT',
          message: artifact
            ? `artifact "${item.transcript_artifact_id}" is a ${artifact.kind}, not an asr_transcript; these captions are not drawn`
            : `asr_transcript artifact "${item.transcript_artifact_id}" was not given to the plan; these captions are not drawn`,
          path: `${path}.transcript_artifact_id`,
        });
        return;
      }
      const parsed = TranscriptSchema.safeParse(artifact.data);
      if (!parsed.success) {
        result.warnings.push({
          code: 'TRANSCRIPT_INVALID',
          message: `asr_transcript artifact "${artifact.id}" has no valid transcript data (${parsed.error.issues[0]?.message ?? 'invalid'}); these captions are not drawn`,
          path: `${path}.transcript_artifact_id`,
        });
        return;
      }
      const family = item.font?.family ?? DEFAULT_CAPTION_FAMILY;
      const fontFile = o.resolveFont(family);
      if (fontFile === undefined) {
        result.fontIssues.push({ path: `${path}.font`, font: family });
        return;
      }
      result.usedArtifacts.push(artifact.id);
      let transcript = parsed.data;
      let startMs = item.start_ms;
      if (item.source_clip_id !== undefined) {
        const clip = findClip(o.tracks, item.source_clip_id);
        if (!clip || clip.reverse || clip.duration_ms !== undefined) {
          result.warnings.push({
            code: 'CAPTION_LINK_IGNORED',
            message: !clip
              ? `source_clip_id "${item.source_clip_id}" names no clip of a video or audio track; the captions use start_ms`
              : `clip "${clip.id}" is reversed or a still/freeze; the captions use start_ms`,
            path: `${path}.source_clip_id`,
          });
        } else {
          // Transcript times become timeline times; the composite's offset is then only the range start.
          transcript = followClip(transcript, clip);
          startMs = 0;
        }
      }
      const endMs = Math.max(0, ...transcript.segments.map((s) => s.end_ms));
      // Entirely outside the range: nothing to draw (the artifact is still a dependency of the timeline).
      if (startMs + endMs <= o.rangeStartMs || startMs >= o.rangeEndMs) return;
      const content = buildAssSubtitles({
        transcript,
        style: item.style,
        canvas: o.canvas,
        offsetMs: startMs - Math.round(o.rangeStartMs),
        fontFamily: family,
        // Like text layers, sizes are px on a 1080-pixel-high canvas.
        ...(item.font?.size !== undefined
          ? { fontSize: Math.max(1, Math.round((item.font.size * o.canvas.height) / 1080)) }
          : {}),
      });
      const file = `${o.workDir.replace(/\/+$/, '')}/captions_${index++}.ass`;
      result.files.push({ path: file, content });
      result.filters.push(
        `subtitles=filename=${escapeFilterPath(file)}:fontsdir=${escapeFilterPath(dirOf(fontFile))}`,
      );
    });
  });
  return result;
}

function findClip(tracks: Track[], id: string): MediaClip | undefined {
  for (const track of tracks) {
    if (track.kind === 'text' || track.kind === 'caption') continue;
    const clip = track.clips.find((c) => c.id === id);
    if (clip) return clip;
  }
  return undefined;
}

/**
 * The transcript of a clip's source as it plays on the timeline: words overlapping the clip's source range
 * [in_ms, out_ms) only (cut to it), source time t at timeline time start_ms + (t - in_ms) / speed.
 */
function followClip(transcript: Transcript, clip: MediaClip): Transcript {
  const inMs = clip.in_ms;
  const outMs = clip.out_ms ?? Infinity;
  const map = (t: number) =>
    Math.round(clip.start_ms + (Math.min(Math.max(t, inMs), outMs) - inMs) / clip.speed);
  const inside = (a: number, b: number) => b > inMs && a < outMs;
  const segments = transcript.segments
    .filter((s) => inside(s.start_ms, s.end_ms))
    .map((s) => ({
      ...s,
      start_ms: map(s.start_ms),
      end_ms: map(s.end_ms),
      words: s.words
        .filter((w) => inside(w.start_ms, w.end_ms))
        .map((w) => ({ ...w, start_ms: map(w.start_ms), end_ms: map(w.end_ms) })),
    }))
    .filter((s) => s.words.length > 0 || s.end_ms > s.start_ms);
  return { ...transcript, segments };
}
