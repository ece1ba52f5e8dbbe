/**
 * The Studio's view of the pure edit operations in src/timeline (built by the studio-core branch). The UI
 * calls only these; each is a thin call into src/timeline, never a hand-made change of the document.
 */
import type { MediaClip, TextLayer, Timeline } from '../../../src/timeline/schema';

export type { MediaClip, TextLayer, Timeline };
export type Media = Record<string, { duration_ms: number; kind?: 'video' | 'audio' | 'image' | 'font' }>;

function pending(name: string): never {
  throw new Error(`edit op ${name} is not available yet`);
}

export const ops = {
  addClip: (_doc: Timeline, _a: { track_id: string; asset_id: string; start_ms: number; media: Media }): Timeline =>
    pending('addClip'),
  moveItems: (
    _doc: Timeline,
    _a: { ids: string[]; delta_ms: number; track_delta: number; media: Media },
  ): Timeline => pending('moveItems'),
  trim: (_doc: Timeline, _a: { id: string; edge: 'start' | 'end'; delta_ms: number; media: Media }): Timeline =>
    pending('trim'),
  split: (_doc: Timeline, _a: { at_ms: number; ids: string[]; media: Media }): Timeline => pending('split'),
  rippleDelete: (_doc: Timeline, _a: { ids: string[]; media: Media }): Timeline => pending('rippleDelete'),
  remove: (_doc: Timeline, _a: { ids: string[] }): Timeline => pending('remove'),
  addTransition: (
    _doc: Timeline,
    _a: { from_clip_id: string; to_clip_id: string; type: string; duration_ms: number; media: Media },
  ): Timeline => pending('addTransition'),
  addText: (_doc: Timeline, _a: { track_id: string; start_ms: number; duration_ms: number; text: string }): Timeline =>
    pending('addText'),
  setProps: (_doc: Timeline, _a: { id: string; patch: Record<string, unknown>; media: Media }): Timeline =>
    pending('setProps'),
  setKeyframe: (
    _doc: Timeline,
    _a: { id: string; param: string; t_ms: number; value: number; easing?: string },
  ): Timeline => pending('setKeyframe'),
  removeKeyframe: (_doc: Timeline, _a: { id: string; param: string; t_ms: number }): Timeline =>
    pending('removeKeyframe'),
  setTrack: (_doc: Timeline, _a: { track_id: string; muted?: boolean; hidden?: boolean; locked?: boolean }): Timeline =>
    pending('setTrack'),
  paste: (_doc: Timeline, _a: { items: unknown[]; at_ms: number; media: Media }): Timeline => pending('paste'),
  addCaptions: (
    _doc: Timeline,
    _a: { transcript_artifact_id: string; start_ms: number; style: 'clean' | 'bold_pop' | 'karaoke' },
  ): Timeline => pending('addCaptions'),
};
