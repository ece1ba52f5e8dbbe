/**
 * Container timecode ("01:00:00:00", drop-frame "01:00:00;02") to ms on the real clock. A timecode counts frames
 * at the nominal (rounded) rate, so at 29.97 fps non-drop timecode runs 0.1 % slow against the wall clock; frames
 * are converted with the actual rate. Drop-frame skips frame numbers 0 and 1 (0–3 at 59.94) at the start of each
 * minute except every tenth (SMPTE 12M).
 */
import type { Rational } from '../../timeline/media-info.js';

const TC_RE = /^(\d{1,2}):(\d{2}):(\d{2})([:;.,])(\d{2,3})$/;

/** ms of the timecode on the real clock, or null when it is not a valid timecode for this rate. */
export function timecodeToMs({ timecode, fps }: { timecode: string; fps: Rational }): number | null {
  const m = TC_RE.exec(timecode.trim());
  if (!m || !(fps.num > 0) || !(fps.den > 0)) return null;
  const [h, min, s, sep, f] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!, Number(m[5])];
  const rate = fps.num / fps.den;
  const nominal = Math.round(rate);
  if (min > 59 || s > 59 || f >= nominal) return null;
  let frames = (h * 3600 + min * 60 + s) * nominal + f;
  const dropFrame = sep === ';' || sep === ',';
  if (dropFrame) {
    // Only defined for the NTSC rates 29.97 and 59.94.
    if (nominal !== 30 && nominal !== 60) return null;
    const drop = nominal === 30 ? 2 : 4;
    const totalMinutes = h * 60 + min;
    frames -= drop * (totalMinutes - Math.floor(totalMinutes / 10));
  }
  return (frames * 1000 * fps.den) / fps.num;
}
