/**
 * Transitions as data: each maps a cutroom transition type to an ffmpeg `xfade` transition for picture and an
 * `acrossfade` curve for sound. Every xfade name here exists in ffmpeg 5.1 (`ffmpeg -h filter=xfade`); a test
 * renders each one. Served by GET /video/presets (listTransitions).
 */
import { cutroomError } from '../../errors.js';

/** acrossfade curve names (see `ffmpeg -h filter=acrossfade`). */
export type AudioCurve = 'tri' | 'qsin' | 'hsin' | 'esin' | 'log' | 'exp' | 'nofade';

export interface TransitionSpec {
  id: string;
  /** `xfade=transition=` value. */
  xfade: string;
  /** acrossfade curve for both sides: qsin (equal power) unless the picture dips. */
  audio_curve: AudioCurve;
  tags: string[];
  description: string;
}

function t(
  id: string,
  xfade: string,
  tags: string[],
  description: string,
  audio_curve: AudioCurve = 'qsin',
): TransitionSpec {
  return { id, xfade, audio_curve, tags, description };
}

export const TRANSITIONS: readonly TransitionSpec[] = [
  t('crossfade', 'fade', ['fade', 'basic'], 'Blend the outgoing picture into the incoming one.'),
  t('dissolve', 'dissolve', ['fade'], 'Random-pixel dissolve from one picture to the other.'),
  t('dip_to_black', 'fadeblack', ['fade', 'dip'], 'Fade out to black, then in from black.', 'tri'),
  t('dip_to_white', 'fadewhite', ['fade', 'dip'], 'Fade out to white, then in from white.', 'tri'),
  t('fade_grays', 'fadegrays', ['fade'], 'Fade through a desaturated picture.'),
  t('wipe_left', 'wipeleft', ['wipe'], 'The incoming picture wipes in from the right edge towards the left.'),
  t(
    'wipe_right',
    'wiperight',
    ['wipe'],
    'The incoming picture wipes in from the left edge towards the right.',
  ),
  t('wipe_up', 'wipeup', ['wipe'], 'The incoming picture wipes in from the bottom upwards.'),
  t('wipe_down', 'wipedown', ['wipe'], 'The incoming picture wipes in from the top downwards.'),
  t(
    'push_left',
    'slideleft',
    ['push', 'slide'],
    'The incoming picture pushes the outgoing one out to the left.',
  ),
  t(
    'push_right',
    'slideright',
    ['push', 'slide'],
    'The incoming picture pushes the outgoing one out to the right.',
  ),
  t('slide_up', 'slideup', ['push', 'slide'], 'The incoming picture slides in upwards.'),
  t('slide_down', 'slidedown', ['push', 'slide'], 'The incoming picture slides in downwards.'),
  t('smooth_left', 'smoothleft', ['wipe', 'soft'], 'A soft-edged wipe towards the left.'),
  t('smooth_right', 'smoothright', ['wipe', 'soft'], 'A soft-edged wipe towards the right.'),
  t('smooth_up', 'smoothup', ['wipe', 'soft'], 'A soft-edged wipe upwards.'),
  t('smooth_down', 'smoothdown', ['wipe', 'soft'], 'A soft-edged wipe downwards.'),
  t('circle_open', 'circleopen', ['shape'], 'The incoming picture appears in a growing circle.'),
  t('circle_close', 'circleclose', ['shape'], 'The outgoing picture shrinks into a closing circle.'),
  t(
    'circle_crop',
    'circlecrop',
    ['shape', 'dip'],
    'Circle closes to black, then opens on the incoming picture.',
    'tri',
  ),
  t(
    'rect_crop',
    'rectcrop',
    ['shape', 'dip'],
    'Rectangle closes to black, then opens on the incoming picture.',
    'tri',
  ),
  t('radial', 'radial', ['shape'], 'A clock-hand sweep reveals the incoming picture.'),
  t('zoom_in', 'zoomin', ['zoom'], 'Zoom into the outgoing picture while it fades to the incoming one.'),
  t(
    'pixelize',
    'pixelize',
    ['stylised'],
    'Pixelate the outgoing picture, then un-pixelate the incoming one.',
  ),
  t('hblur', 'hblur', ['stylised', 'blur'], 'Horizontal blur across the cut.'),
  t('diag_tl', 'diagtl', ['wipe', 'diagonal'], 'Diagonal wipe from the top-left corner.'),
  t('diag_tr', 'diagtr', ['wipe', 'diagonal'], 'Diagonal wipe from the top-right corner.'),
  t('diag_bl', 'diagbl', ['wipe', 'diagonal'], 'Diagonal wipe from the bottom-left corner.'),
  t('diag_br', 'diagbr', ['wipe', 'diagonal'], 'Diagonal wipe from the bottom-right corner.'),
  t('slice_left', 'hlslice', ['wipe', 'slice'], 'Horizontal slices wipe towards the left.'),
  t('slice_right', 'hrslice', ['wipe', 'slice'], 'Horizontal slices wipe towards the right.'),
  t('slice_up', 'vuslice', ['wipe', 'slice'], 'Vertical slices wipe upwards.'),
  t('slice_down', 'vdslice', ['wipe', 'slice'], 'Vertical slices wipe downwards.'),
  t('vert_open', 'vertopen', ['wipe', 'barn_door'], 'Barn door opening vertically from the centre.'),
  t('vert_close', 'vertclose', ['wipe', 'barn_door'], 'Barn door closing vertically to the centre.'),
  t('horz_open', 'horzopen', ['wipe', 'barn_door'], 'Barn door opening horizontally from the centre.'),
  t('horz_close', 'horzclose', ['wipe', 'barn_door'], 'Barn door closing horizontally to the centre.'),
  t('squeeze_h', 'squeezeh', ['stylised'], 'Squeeze the outgoing picture horizontally.'),
  t('squeeze_v', 'squeezev', ['stylised'], 'Squeeze the outgoing picture vertically.'),
  t('distance', 'distance', ['stylised'], 'Blend by colour distance.'),
];

export function listTransitions(): readonly TransitionSpec[] {
  return TRANSITIONS;
}

/** The catalog entry for a type, or UNKNOWN_TRANSITION with details.valid and the path. */
export function getTransition(type: string, path?: string): TransitionSpec {
  const spec = TRANSITIONS.find((s) => s.id === type);
  if (!spec) {
    const valid = TRANSITIONS.map((s) => s.id);
    throw cutroomError('UNKNOWN_TRANSITION', `${path ? `${path}: ` : ''}unknown transition type "${type}"`, {
      type,
      path,
      valid,
    });
  }
  return spec;
}
