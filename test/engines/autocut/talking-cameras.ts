/**
 * Two cameras of a conversation where the LOUDER microphone is always on the person who is NOT talking.
 *
 * Pictures are real footage made by others (Megamind.avi, opencv-doc): camera A shows the man (his medium
 * shot, source 4.2–6.2 s), camera B the woman (her close shot, source 6.5–8.0 s). While a camera's subject
 * talks, it plays that real film clip forward then backward (real mouth motion of the film's lip-sync, head
 * motion included); while the subject listens, it shows one still frame of the same shot drifting slowly
 * sideways (head/camera motion, no mouth motion). So the visual signal is honest about what it is: real mouth
 * movement against a still mouth, not a recording of two people in one room.
 *
 * Sound: real speech (pocketsphinx-testdata) on both microphones; the talker's microphone is 6 dB QUIETER
 * than the listener's, so loudness alone picks the wrong camera all the time.
 *
 * Script on the common clock (both cameras start together): A talks [0, 4 s), B [4, 8 s), A [8, 12 s).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';
import { masterSpeech } from '../multicam/speech-media.js';

export const MEGAMIND = '/usr/share/doc/opencv-doc/examples/data/Megamind.avi';
export const TURN_MS = 4000;
/** Who talks in each 4 s turn: 'a' | 'b'. */
export const SCRIPT = ['a', 'b', 'a'] as const;
export const TALK_DURATION_MS = TURN_MS * SCRIPT.length;

const CLIPS = {
  a: { start: 4.2, length: 2.0 },
  b: { start: 6.5, length: 1.5 },
} as const;

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err))));
  });
}

async function camera(who: 'a' | 'b'): Promise<string> {
  const master = await masterSpeech();
  const clip = CLIPS[who];
  const turn = TURN_MS / 1000;
  const parts: string[] = [];
  const inputs: string[] = [];
  SCRIPT.forEach((talker, i) => {
    if (talker === who) {
      // Forward then backward, looped to fill the turn: continuous real mouth motion.
      inputs.push('-ss', String(clip.start), '-t', String(clip.length), '-i', MEGAMIND);
      const n = inputs.filter((x) => x === '-i').length - 1;
      parts.push(
        `[${n}:v]fps=25,scale=360:264,setsar=1,split[f${i}][g${i}];[g${i}]reverse[r${i}];` +
          `[f${i}][r${i}]concat=n=2:v=1:a=0,loop=loop=-1:size=${Math.round(clip.length * 50)},` +
          `trim=duration=${turn},setpts=PTS-STARTPTS[p${i}]`,
      );
    } else {
      inputs.push('-ss', String(clip.start), '-i', MEGAMIND);
      const n = inputs.filter((x) => x === '-i').length - 1;
      // One still frame, 400 px wide, cropped to 360 with a slow sideways drift (≈ 20 px over the turn).
      parts.push(
        `[${n}:v]trim=end_frame=1,scale=400:293,setsar=1,loop=loop=${turn * 25}:size=1,fps=25,` +
          `crop=360:264:x='20+18*sin(2*PI*t/${turn})':y=14,trim=duration=${turn},setpts=PTS-STARTPTS[p${i}]`,
      );
    }
  });
  const speechIndex = inputs.filter((x) => x === '-i').length;
  // Talker's mic at half amplitude (−6 dB), the listener's at full.
  const talking = SCRIPT.map((t, i) => (t === who ? `between(t,${i * turn},${(i + 1) * turn})` : ''))
    .filter(Boolean)
    .join('+');
  const graph =
    parts.join(';') +
    `;${SCRIPT.map((_, i) => `[p${i}]`).join('')}concat=n=${SCRIPT.length}:v=1:a=0,format=yuv420p[v];` +
    `[${speechIndex}:a]atrim=duration=${TALK_DURATION_MS / 1000},volume='if(${talking},0.5,1)':eval=frame[a]`;
  const args = [
    ...inputs,
    '-i',
    master,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-map',
    '[a]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '25',
    '-bf',
    '0',
    '-threads',
    '1',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-ac',
    '1',
    '-t',
    String(TALK_DURATION_MS / 1000),
  ];
  const key = createHash('sha256').update(JSON.stringify({ master, args })).digest('hex').slice(0, 16);
  mkdirSync(TEST_MEDIA_DIR, { recursive: true });
  const out = join(TEST_MEDIA_DIR, `autocut-talking-${who}-${key}.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run([...args, tmp]);
  renameSync(tmp, out);
  return out;
}

export async function talkingCameras(): Promise<{ a: string; b: string }> {
  return { a: await camera('a'), b: await camera('b') };
}

/** The camera whose subject talks at common time t. */
export function talkerAt(tMs: number): 'a' | 'b' {
  return SCRIPT[Math.min(SCRIPT.length - 1, Math.floor(tMs / TURN_MS))]!;
}

export interface SpeakerAccuracy {
  /** Fraction of speech time (on the common clock) during which the cut shows the talker's camera. */
  accuracy: number;
  speech_ms: number;
}

/**
 * Score a plan: every 100 ms slot where the reference microphone hears speech counts; it is right when the
 * shot on screen is the talker's camera. `camera` maps 'a' / 'b' to asset ids.
 */
export function speakerAccuracy(
  shots: ReadonlyArray<{ asset_id: string; start_ms: number; end_ms: number }>,
  speech: ReadonlyArray<{ start_ms: number; end_ms: number; kind: string }>,
  camera: { a: string; b: string },
): SpeakerAccuracy {
  let total = 0;
  let right = 0;
  for (let t = 50; t < TALK_DURATION_MS; t += 100) {
    if (!speech.some((w) => w.kind === 'speech' && t >= w.start_ms && t < w.end_ms)) continue;
    const shot = shots.find((s) => t >= s.start_ms && t < s.end_ms);
    if (!shot) continue;
    total++;
    if (shot.asset_id === camera[talkerAt(t)]) right++;
  }
  return { accuracy: total > 0 ? right / total : 0, speech_ms: total * 100 };
}
