/**
 * Motion presets as automation templates: a client applies one to a clip and gets ordinary `automation`
 * entries (scale / position_x / position_y keyframes), which it can then edit. Times are fractions of the clip
 * length, so one template fits every clip; shake is generated at a fixed period from a fixed offset table
 * (deterministic: the same clip always shakes the same way).
 */
import type { Automation, Easing } from '../../timeline/index.js';

type MotionParam = 'scale' | 'position_x' | 'position_y';

export interface MotionPreset {
  id: string;
  label: string;
  description: string;
  /** Other names a clip's `motion` may use for this preset (e.g. `zoom_in`, as Shotstack and editly call it). */
  aliases?: readonly string[];
  /** Keyframes at fractions 0..1 of the clip length. */
  tracks: ReadonlyArray<{
    param: MotionParam;
    keyframes: ReadonlyArray<{ at: number; value: number; easing: Easing }>;
  }>;
  /** Periodic jitter (shake) added as position keyframes every period_ms, amplitude in canvas fractions. */
  jitter?: { period_ms: number; amplitude: number };
}

// Pans stay within the 15% zoom's margin ((1.15 - 1) / 2 = 0.075 each side), so no canvas edge shows.
export const MOTION_PRESETS: readonly MotionPreset[] = [
  {
    id: 'ken_burns_in',
    label: 'Ken Burns zoom in',
    aliases: ['zoom_in'],
    description: 'Slow zoom from 100% to 115% over the clip.',
    tracks: [
      {
        param: 'scale',
        keyframes: [
          { at: 0, value: 1, easing: 'ease_in_out' },
          { at: 1, value: 1.15, easing: 'linear' },
        ],
      },
    ],
  },
  {
    id: 'ken_burns_out',
    label: 'Ken Burns zoom out',
    aliases: ['zoom_out'],
    description: 'Slow zoom from 115% to 100% over the clip.',
    tracks: [
      {
        param: 'scale',
        keyframes: [
          { at: 0, value: 1.15, easing: 'ease_in_out' },
          { at: 1, value: 1, easing: 'linear' },
        ],
      },
    ],
  },
  {
    id: 'pan_left',
    label: 'Pan left',
    description: 'Picture zoomed to 115% drifts from right to left.',
    tracks: [
      { param: 'scale', keyframes: [{ at: 0, value: 1.15, easing: 'linear' }] },
      {
        param: 'position_x',
        keyframes: [
          { at: 0, value: 0.57, easing: 'ease_in_out' },
          { at: 1, value: 0.43, easing: 'linear' },
        ],
      },
    ],
  },
  {
    id: 'pan_right',
    label: 'Pan right',
    description: 'Picture zoomed to 115% drifts from left to right.',
    tracks: [
      { param: 'scale', keyframes: [{ at: 0, value: 1.15, easing: 'linear' }] },
      {
        param: 'position_x',
        keyframes: [
          { at: 0, value: 0.43, easing: 'ease_in_out' },
          { at: 1, value: 0.57, easing: 'linear' },
        ],
      },
    ],
  },
  {
    id: 'pan_up',
    label: 'Pan up',
    description: 'Picture zoomed to 115% drifts from bottom to top.',
    tracks: [
      { param: 'scale', keyframes: [{ at: 0, value: 1.15, easing: 'linear' }] },
      {
        param: 'position_y',
        keyframes: [
          { at: 0, value: 0.57, easing: 'ease_in_out' },
          { at: 1, value: 0.43, easing: 'linear' },
        ],
      },
    ],
  },
  {
    id: 'pan_down',
    label: 'Pan down',
    description: 'Picture zoomed to 115% drifts from top to bottom.',
    tracks: [
      { param: 'scale', keyframes: [{ at: 0, value: 1.15, easing: 'linear' }] },
      {
        param: 'position_y',
        keyframes: [
          { at: 0, value: 0.43, easing: 'ease_in_out' },
          { at: 1, value: 0.57, easing: 'linear' },
        ],
      },
    ],
  },
  {
    id: 'shake',
    label: 'Camera shake',
    description: 'Handheld-style jitter at 108% zoom (offsets up to 2% of the canvas every 80 ms).',
    tracks: [{ param: 'scale', keyframes: [{ at: 0, value: 1.08, easing: 'linear' }] }],
    jitter: { period_ms: 80, amplitude: 0.02 },
  },
];

/** Fixed pseudo-random offsets in [-1, 1] (x, y pairs) cycled by the shake. */
const JITTER_TABLE: ReadonlyArray<readonly [number, number]> = [
  [0.6, -0.3],
  [-0.8, 0.5],
  [0.2, 0.9],
  [-0.4, -0.7],
  [0.9, 0.1],
  [-0.1, -0.9],
  [0.5, 0.6],
  [-0.7, 0.2],
  [0.3, -0.5],
  [-0.9, -0.2],
  [0.7, 0.8],
  [-0.2, 0.4],
  [0.1, -0.6],
  [-0.6, 0.7],
  [0.8, -0.8],
  [-0.5, -0.1],
];
/** The schema's limit of keyframes per automation entry. */
const MAX_KEYFRAMES = 1000;

/** A preset by id or alias. */
export function motionPreset(id: string): MotionPreset | undefined {
  return MOTION_PRESETS.find((p) => p.id === id || (p.aliases ?? []).includes(id));
}

/** A motion preset applied to a clip of `durationMs`: automation entries with absolute t_ms. */
export function motionPresetAutomation(options: { id: string; durationMs: number }): Automation[] {
  const preset = motionPreset(options.id);
  if (preset === undefined) throw new Error(`unknown motion preset ${options.id}`);
  const d = Math.max(0, Math.round(options.durationMs));
  const out: Automation[] = preset.tracks.map((track) => ({
    param: track.param,
    keyframes: track.keyframes.map((k) => ({ t_ms: Math.round(k.at * d), value: k.value, easing: k.easing })),
  }));
  if (preset.jitter) {
    const { period_ms, amplitude } = preset.jitter;
    const count = Math.min(MAX_KEYFRAMES, Math.floor(d / period_ms) + 1);
    const at = (i: number): number => i * period_ms;
    const round = (v: number): number => Math.round(v * 1e6) / 1e6;
    for (const axis of [0, 1] as const) {
      out.push({
        param: axis === 0 ? 'position_x' : 'position_y',
        keyframes: Array.from({ length: count }, (_, i) => ({
          t_ms: at(i),
          value: round(0.5 + amplitude * JITTER_TABLE[i % JITTER_TABLE.length]![axis]),
          easing: 'ease_in_out' as const,
        })),
      });
    }
  }
  return out;
}
