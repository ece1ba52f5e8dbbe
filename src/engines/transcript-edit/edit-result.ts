/** What both edit assists return, for one asset or a sequence. */
import type { Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { EditPlan, FillerMark } from '../../plan/transcript-edit/index.js';
import type { Rational, Timeline } from '../../timeline/index.js';

/** The frame grid cuts snap to by default: 30/1, the rate of every render profile. */
export const DEFAULT_EDIT_FPS: Rational = { num: 30, den: 1 };

export interface EditResult {
  timeline: Timeline;
  project: { id: string; version: number } | null;
  transcript_artifact: Artifact | null;
  plan: EditPlan;
  fillers: FillerMark[];
  warnings: Warning[];
}
