/**
 * Two synthetic "cameras" of one conversation: both hear the same real speech (Debian pocketsphinx-testdata),
 * camera A starts at master 2.0 s, camera B 700 ms later (offset +700 ms). A's subject "talks" in the first half
 * (A's microphone is 14 dB louder than B's), B's in the second half. Picture: solid red (A) and solid blue (B).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';
import { masterSpeech } from '../multicam/speech-media.js';

export const CAMERA_B_OFFSET_MS = 700;
/** On A's clock (= the common clock): where the loud speaker switches from A to B. */
export const SWITCH_MS = 5000;

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

async function camera(name: string, color: string, startS: number, loudFirst: boolean, switchS: number) {
  const master = await masterSpeech();
  const vol = loudFirst ? `if(lt(t,${switchS}),1,0.2)` : `if(lt(t,${switchS}),0.2,1)`;
  const args = [
    '-f',
    'lavfi',
    '-i',
    `color=c=${color}:s=160x120:r=25:d=9`,
    '-ss',
    String(startS),
    '-t',
    '9',
    '-i',
    master,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-af',
    `volume='${vol}':eval=frame`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
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
    '-shortest',
  ];
  const key = createHash('sha256').update(JSON.stringify({ master, args })).digest('hex').slice(0, 16);
  mkdirSync(TEST_MEDIA_DIR, { recursive: true });
  const out = join(TEST_MEDIA_DIR, `autocut-${name}-${key}.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run([...args, tmp]);
  renameSync(tmp, out);
  return out;
}

export async function conversationCameras(): Promise<{ a: string; b: string }> {
  const a = await camera('a-red', 'red', 2, true, SWITCH_MS / 1000);
  const b = await camera(
    'b-blue',
    'blue',
    2 + CAMERA_B_OFFSET_MS / 1000,
    false,
    (SWITCH_MS - CAMERA_B_OFFSET_MS) / 1000,
  );
  return { a, b };
}
