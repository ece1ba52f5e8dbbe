/**
 * Audio fixtures: real read speech by others (Debian pocketsphinx-testdata, LibriVox recordings) framed by
 * silence we insert, so the silence boundaries are known to the sample; tones at exact levels. Cached under
 * .cache/test-media/ by their ffmpeg arguments.
 */
import { existsSync } from 'node:fs';
import { cachedFfmpeg } from '../visual-meta/fixtures.js';

export const SPEECH_WAV =
  '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav';
export const SPEECH_WAV_2 =
  '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0890.wav';

export function speechAvailable(): boolean {
  return existsSync(SPEECH_WAV) && existsSync(SPEECH_WAV_2);
}

/** `padMs` of digital silence + the recording + `padMs` of silence, 16 kHz mono WAV; returns the speech span. */
export async function paddedSpeech(
  src: string,
  speechMs: number,
  padMs = 2000,
): Promise<{ path: string; speechStartMs: number; speechEndMs: number; durationMs: number }> {
  const pad = (padMs / 1000).toFixed(3);
  const path = await cachedFfmpeg(
    'padded-speech',
    [
      '-f',
      'lavfi',
      '-i',
      `anullsrc=r=16000:cl=mono:d=${pad}`,
      '-i',
      src,
      '-f',
      'lavfi',
      '-i',
      `anullsrc=r=16000:cl=mono:d=${pad}`,
      '-filter_complex',
      '[1:a]aresample=16000,aformat=channel_layouts=mono[s];[0:a][s][2:a]concat=n=3:v=0:a=1',
      '-c:a',
      'pcm_s16le',
    ],
    'wav',
  );
  return { path, speechStartMs: padMs, speechEndMs: padMs + speechMs, durationMs: 2 * padMs + speechMs };
}

/**
 * Music-like signal: a chord of three harmonic tones with a slow tremolo, note changes every second, 48 kHz
 * stereo, 4 s, then 1 s of silence.
 */
export function chordThenSilence(): Promise<string> {
  const expr =
    '0.2*(sin(2*PI*(220+110*floor(t))*t)+0.6*sin(2*PI*2*(220+110*floor(t))*t)+0.4*sin(2*PI*1.5*(220+110*floor(t))*t))*(0.8+0.2*sin(2*PI*3*t))*lt(t\\,4)';
  return cachedFfmpeg(
    'chord-silence',
    ['-f', 'lavfi', '-i', `aevalsrc=${expr}|${expr}:s=48000:d=5`, '-c:a', 'pcm_s16le'],
    'wav',
  );
}

/** A 1 kHz sine, `amplitude` peak, 44.1 kHz stereo (so the 48 kHz resampling path is exercised), 6 s. */
export function sineAt(amplitude: number): Promise<string> {
  return cachedFfmpeg(
    'sine-level',
    [
      '-f',
      'lavfi',
      '-i',
      `aevalsrc=${amplitude}*sin(2*PI*1000*t)|${amplitude}*sin(2*PI*1000*t):s=44100:d=6`,
      '-c:a',
      'pcm_s16le',
    ],
    'wav',
  );
}
