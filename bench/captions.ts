// Captions quality and speed on pocketsphinx's own LibriVox test data (5 utterances, 24.7 s, read speech).
// Run: node --import tsx bench/captions.ts
//      node --import tsx bench/captions.ts --telephone   WER on telephone-band (8 kHz μ-law) copies, pocketsphinx
//                                                        front-end options compared
// Prints: WER of recognition vs the `transcription` file (case/punctuation normalised, Levenshtein over words),
// the real-time factor (decode wall time / audio time, including model loading per call), and the forced
// alignment's word-boundary error. The data has no reference alignments, so boundaries are compared with
// pocketsphinx's own free decode of the same audio (words matched by edit-distance alignment, both agree).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { findPocketsphinx } from '../src/engines/captions/select-backend.js';
import { normaliseForWer, wordErrorRate } from '../src/engines/captions/wer.js';
import { readPcm } from '../src/ffmpeg/index.js';

const DIR = '/usr/share/pocketsphinx/test/data/librivox';

interface Ref {
  id: string;
  words: string[];
}

function references(): Ref[] {
  return readFileSync(join(DIR, 'transcription'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const id = /\(([^)]+)\)\s*$/.exec(l)![1]!;
      return { id, words: normaliseForWer(l) };
    });
}

/** Pairs of equal words on a minimum-edit alignment of two word lists (indexes into a and b). */
function matchedPairs(a: string[], b: string[]): Array<[number, number]> {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1)
    for (let j = 1; j <= b.length; j += 1)
      d[i]![j] = Math.min(
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
      );
  const pairs: Array<[number, number]> = [];
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1] && d[i]![j] === d[i - 1]![j - 1]) {
      pairs.push([i - 1, j - 1]);
      i -= 1;
      j -= 1;
    } else if (d[i]![j] === d[i - 1]![j - 1]! + 1) {
      i -= 1;
      j -= 1;
    } else if (d[i]![j] === d[i - 1]![j]! + 1) i -= 1;
    else j -= 1;
  }
  return pairs.reverse();
}

async function main(): Promise<void> {
  const ps = findPocketsphinx(process.env);
  if ('missing' in ps) throw new Error(ps.missing);
  let errors = 0;
  let refWords = 0;
  let audioMs = 0;
  let decodeMs = 0;
  let alignMs = 0;
  const boundaryErr: number[] = [];
  for (const ref of references()) {
    const pcm16k = await readPcm({ path: join(DIR, `${ref.id}.wav`), sampleRate: 16000 });
    audioMs += (pcm16k.length / 16000) * 1000;
    let t = performance.now();
    const { words } = await ps.transcribe({ pcm16k, language: 'en-US' });
    decodeMs += performance.now() - t;
    const hyp = words.map((w) => w.word);
    const w = wordErrorRate({ reference: ref.words, hypothesis: normaliseForWer(hyp.join(' ')) });
    errors += w.errors;
    refWords += w.referenceWords;
    t = performance.now();
    const aligned = await ps.align!({ pcm16k, text: ref.words.join(' '), language: 'en-US' });
    alignMs += performance.now() - t;
    for (const [ai, hi] of matchedPairs(
      aligned.map((x) => x.word),
      hyp,
    )) {
      boundaryErr.push(Math.abs(aligned[ai]!.start_ms - words[hi]!.start_ms));
      boundaryErr.push(Math.abs(aligned[ai]!.end_ms - words[hi]!.end_ms));
    }
    console.log(`${ref.id}: WER ${(w.wer * 100).toFixed(1)} %  hyp: ${hyp.join(' ')}`);
  }
  // Fixed cost of one call (process start + loading the 27 MB language model), on 0.5 s of silence.
  const t0 = performance.now();
  await ps.transcribe({ pcm16k: new Float32Array(8000), language: 'en-US' });
  const fixedMs = performance.now() - t0;
  const cpus = availableParallelism();
  boundaryErr.sort((x, y) => x - y);
  const mean = boundaryErr.reduce((s, x) => s + x, 0) / boundaryErr.length;
  const median = boundaryErr[Math.floor(boundaryErr.length / 2)]!;
  console.log(`backend ${ps.version}`);
  console.log(`WER ${((errors / refWords) * 100).toFixed(1)} % (${errors}/${refWords} words)`);
  console.log(
    `recognition RTF ${(decodeMs / audioMs).toFixed(3)} (${(decodeMs / 1000).toFixed(2)} s for ${(audioMs / 1000).toFixed(2)} s audio)`,
  );
  console.log(
    `fixed cost per recognition call ${fixedMs.toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus} cores`,
  );
  console.log(`alignment RTF ${(alignMs / audioMs).toFixed(3)}`);
  console.log(
    `alignment boundary |Δ| vs free decode (no reference alignments in the data): mean ${mean.toFixed(0)} ms, median ${median} ms, ` +
      `≤ 50 ms: ${((boundaryErr.filter((x) => x <= 50).length / boundaryErr.length) * 100).toFixed(0)} % of ${boundaryErr.length} boundaries`,
  );
}

/**
 * Telephone band: the same utterances through a phone channel (300–3400 Hz band-pass, 8 kHz μ-law G.711 like a
 * PSTN call), back to 16 kHz for the decoder, decoded with the model's own front end and with its filterbank
 * confined to the band. pocketsphinx 5prealpha lets the model's feat.params override the command line (checked:
 * `-upperf 3500` on the command line still logs 6800), so a band-limited front end needs a copy of the model
 * directory with an edited feat.params (the other files symlinked). Only the wideband en-us model is installed;
 * an 8 kHz model would be the real remedy.
 */
async function telephone(): Promise<void> {
  const { createPocketsphinxBackend, DEFAULT_POCKETSPHINX_MODEL_DIR } =
    await import('../src/engines/captions/pocketsphinx-backend.js');
  const { findExecutable } = await import('../src/engines/captions/run-process.js');
  const { runFfmpeg } = await import('../src/ffmpeg/index.js');
  const { mkdtemp, rm, mkdir, symlink, readdir, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const batch = findExecutable({ name: 'pocketsphinx_batch', env: process.env });
  if (!batch) throw new Error('pocketsphinx_batch missing');
  const modelDir = process.env.VIDEO_CAPTIONS_POCKETSPHINX_DIR || DEFAULT_POCKETSPHINX_MODEL_DIR;
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-phone-'));
  /** A model directory whose feat.params has the given options replaced. */
  const bandModel = async (name: string, set: Record<string, string>): Promise<string> => {
    const root = join(dir, name);
    await mkdir(join(root, 'en-us'), { recursive: true });
    for (const f of await readdir(modelDir))
      if (f !== 'en-us') await symlink(join(modelDir, f), join(root, f));
    for (const f of await readdir(join(modelDir, 'en-us'))) {
      if (f !== 'feat.params') {
        await symlink(join(modelDir, 'en-us', f), join(root, 'en-us', f));
        continue;
      }
      const lines = readFileSync(join(modelDir, 'en-us', f), 'utf8')
        .split('\n')
        .map((l) => {
          const key = l.split(/\s+/)[0]!;
          return key in set ? `${key} ${set[key]}` : l;
        });
      await writeFile(join(root, 'en-us', f), lines.join('\n'));
    }
    return root;
  };
  const variants: Array<{ name: string; phone: boolean; set?: Record<string, string> }> = [
    { name: 'wideband audio, model front end (reference)', phone: false },
    { name: 'telephone audio, model front end (130–6800 Hz, 25 filters)', phone: true },
    { name: 'telephone audio, feat.params -upperf 3500', phone: true, set: { '-upperf': '3500' } },
    {
      name: 'telephone audio, feat.params -lowerf 200 -upperf 3500 -nfilt 20',
      phone: true,
      set: { '-lowerf': '200', '-upperf': '3500', '-nfilt': '20' },
    },
  ];
  try {
    const refs = references();
    const phone = new Map<string, string>();
    for (const r of refs) {
      const out = join(dir, `${r.id}.mulaw.wav`);
      await runFfmpeg({
        stage: 'probe',
        args: [
          '-y',
          '-i',
          join(DIR, `${r.id}.wav`),
          '-af',
          'highpass=f=300,lowpass=f=3400',
          '-ar',
          '8000',
          '-ac',
          '1',
          '-c:a',
          'pcm_mulaw',
          out,
        ],
      });
      phone.set(r.id, out);
    }
    for (const [i, v] of variants.entries()) {
      // --band-only: just the edited front end (the first two rows change only with the model or the audio).
      if (process.argv.includes('--band-only') && !v.set) continue;
      const md = v.set ? await bandModel(`model${i}`, v.set) : modelDir;
      const ps = createPocketsphinxBackend({ batch, modelDir: md });
      let errors = 0;
      let words = 0;
      for (const ref of refs) {
        const pcm16k = await readPcm({
          path: v.phone ? phone.get(ref.id)! : join(DIR, `${ref.id}.wav`),
          sampleRate: 16000,
        });
        const r = await ps.transcribe({ pcm16k, language: 'en-US' });
        const w = wordErrorRate({
          reference: ref.words,
          hypothesis: normaliseForWer(r.words.map((x) => x.word).join(' ')),
        });
        errors += w.errors;
        words += w.referenceWords;
      }
      console.log(`${v.name}: WER ${((errors / words) * 100).toFixed(1)} % (${errors}/${words})`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
}

if (process.argv.includes('--telephone')) await telephone();
else await main();
