/**
 * Milliseconds (cutroom) against frames and timecode (EDL, FCPXML, MLT). NTSC rates are exact rationals so
 * 29.97 drop-frame timecode counts the way broadcast decks do (SMPTE 12M: frames 0 and 1 of every minute
 * are skipped, except minutes divisible by ten).
 */
export interface FrameRate {
  num: number;
  den: number;
}

/** 23.976, 29.97 and 59.94 become their exact 1001 rationals; other rates must be whole numbers. */
export function frameRate(fps: number): FrameRate | undefined {
  for (const base of [24, 30, 48, 60]) {
    if (Math.abs(fps - (base * 1000) / 1001) < 0.01) return { num: base * 1000, den: 1001 };
  }
  if (Number.isInteger(fps) && fps >= 1 && fps <= 240) return { num: fps, den: 1 };
  return undefined;
}

export function msToFrames(ms: number, rate: FrameRate): number {
  return Math.round((ms * rate.num) / (rate.den * 1000));
}

export function framesToMs(frames: number, rate: FrameRate): number {
  return Math.round((frames * rate.den * 1000) / rate.num);
}

/** True when ms falls on a frame boundary of the rate (to the ms). */
export function isOnFrame(ms: number, rate: FrameRate): boolean {
  return framesToMs(msToFrames(ms, rate), rate) === ms;
}

function nominal(rate: FrameRate): number {
  return Math.round(rate.num / rate.den);
}

/** Frames dropped per minute in drop-frame timecode: 2 at 29.97, 4 at 59.94; 0 where DF does not exist. */
export function dropFramesPerMinute(rate: FrameRate): number {
  if (rate.den !== 1001) return 0;
  const n = nominal(rate);
  return n === 30 ? 2 : n === 60 ? 4 : 0;
}

export function framesToTimecode(frames: number, rate: FrameRate, dropFrame: boolean): string {
  const n = nominal(rate);
  const drop = dropFrame ? dropFramesPerMinute(rate) : 0;
  let f = frames;
  if (drop > 0) {
    const per10 = n * 600 - 9 * drop;
    const perMin = n * 60 - drop;
    const tens = Math.floor(f / per10);
    const rem = f % per10;
    f += 9 * drop * tens + (rem > drop ? drop * Math.floor((rem - drop) / perMin) : 0);
  }
  const ff = f % n;
  const ss = Math.floor(f / n) % 60;
  const mm = Math.floor(f / (n * 60)) % 60;
  const hh = Math.floor(f / (n * 3600));
  const p = (x: number) => String(x).padStart(2, '0');
  return `${p(hh)}:${p(mm)}:${p(ss)}${drop > 0 ? ';' : ':'}${p(ff)}`;
}

/** Parses HH:MM:SS:FF (or ;FF / .FF for drop frame); undefined when malformed or a field is out of range. */
export function timecodeToFrames(tc: string, rate: FrameRate): { frames: number; dropFrame: boolean } | undefined {
  const m = /^(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{2,3})$/.exec(tc);
  if (!m) return undefined;
  const [hh, mm, ss, ff] = [m[1], m[2], m[3], m[5]].map(Number) as [number, number, number, number];
  const n = nominal(rate);
  if (mm > 59 || ss > 59 || ff >= n) return undefined;
  const dropFrame = m[4] !== ':';
  const drop = dropFrame ? dropFramesPerMinute(rate) : 0;
  if (drop > 0 && ss === 0 && ff < drop && mm % 10 !== 0) return undefined; // a number DF skips
  const minutes = hh * 60 + mm;
  return { frames: (hh * 3600 + mm * 60 + ss) * n + ff - drop * (minutes - Math.floor(minutes / 10)), dropFrame };
}
