/**
 * The real default recogniser: Debian's pocketsphinx 5prealpha command-line tools with the en-US model.
 * - transcribe: `pocketsphinx_batch` with the trigram LM over ≤ 20 s utterances cut at quiet points, `-hypseg`
 *   giving each word's frames (10 ms);
 * - align: `pocketsphinx_batch` with a JSGF grammar that accepts only the script, one utterance.
 * Audio goes through a temporary 16-bit WAV file; the process gets an argument array, never a shell.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutroomError } from '../../errors.js';
import type { TranscriptWord } from '../../plan/captions/transcript.js';
import { alignmentDictionary, alignmentGrammar, mapAlignedWords, tokenizeScript } from './align-script.js';
import { SAMPLE_RATE, type AlignInput, type AsrBackend, type TranscribeInput } from './backend.js';
import { loadCmudict } from './cmudict.js';
import { chunkAudio } from './chunk-audio.js';
import { parseHypsegLine, wordsFromHypseg } from './parse-pocketsphinx.js';
import { segmentWords } from './segment-words.js';
import { runProcess } from './run-process.js';
import { encodeWav16 } from './wav.js';

export const DEFAULT_POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
/** Bump when parsing or decoding options change results. */
const ADAPTER_VERSION = 'ps-batch-4';

export interface PocketsphinxPaths {
  batch: string;
  /** Directory with en-us/ (acoustic model), en-us.lm.bin and cmudict-en-us.dict. */
  modelDir: string;
}

/** Paths of the model files, or the list of what is missing. */
export function pocketsphinxModelFiles(modelDir: string): {
  hmm: string;
  lm: string;
  dict: string;
  missing: string[];
} {
  const hmm = join(modelDir, 'en-us');
  const lm = join(modelDir, 'en-us.lm.bin');
  const dict = join(modelDir, 'cmudict-en-us.dict');
  const missing = [join(hmm, 'mdef'), lm, dict].filter((p) => !existsSync(p));
  return { hmm, lm, dict, missing };
}

/**
 * Identity of the model for cache keys: file names and sizes plus the small config files' bytes. The same
 * Debian package gives the same key on every machine; hashing 30 MB on each start would be slower for nothing.
 */
function modelFingerprint(modelDir: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, `${rel}${name}/`);
      else {
        h.update(`${rel}${name}:${st.size}\n`);
        if (st.size < 4096) h.update(readFileSync(p));
      }
    }
  };
  walk(modelDir, '');
  return h.digest('hex').slice(0, 12);
}

function logTail(text: string): string {
  return (
    text
      .split('\n')
      .filter((l) => /ERROR|FATAL/.test(l))
      .slice(-10)
      .join('\n') || text.slice(-2000)
  );
}

const SILENCE_FLOOR = 1e-4; // -80 dBFS

function hasSignal(pcm: Float32Array, from: number, to: number): boolean {
  for (let i = Math.max(0, from); i < Math.min(pcm.length, to); i += 1) if (Math.abs(pcm[i]!) > SILENCE_FLOOR) return true;
  return false;
}

export function createPocketsphinxBackend(paths: PocketsphinxPaths): AsrBackend {
  const files = pocketsphinxModelFiles(paths.modelDir);
  const fingerprint = modelFingerprint(paths.modelDir);
  // -remove_silence no: with pocketsphinx's VAD on (its default), silence frames are dropped from the feature
  // stream and -hypseg frame numbers count only the frames kept, so every word after a long pause comes back
  // early by the pause's length (measured: 1.5 s early after an inserted 1.5 s silence). Word times must be real.
  const common = ['-hmm', files.hmm, '-samprate', String(SAMPLE_RATE), '-remove_silence', 'no'];

  async function withWorkDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'cutroom-asr-'));
    try {
      return await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function runBatch({
    dir,
    args,
    what,
    seconds,
    signal,
  }: {
    dir: string;
    args: string[];
    what: string;
    seconds: number;
    signal?: AbortSignal;
  }): Promise<string> {
    const log = join(dir, `${what}.log`);
    const seg = join(dir, `${what}.seg`);
    const r = await runProcess({
      command: paths.batch,
      args: [
        ...common,
        ...args,
        // The WAV header is 44 bytes; -adcin reads the raw samples after it.
        '-adcin',
        'yes',
        '-adchdr',
        '44',
        '-cepdir',
        dir,
        '-cepext',
        '.wav',
        '-ctl',
        join(dir, `${what}.ctl`),
        '-hypseg',
        seg,
        '-logfn',
        log,
      ],
      ...(signal ? { signal } : {}),
      timeoutMs: Math.max(60_000, seconds * 1000 * 5),
    });
    if (r.exitCode !== 0) {
      const logText = existsSync(log) ? await readFile(log, 'utf8') : r.stderr;
      throw cutroomError('CAPTIONS_ASR_FAILED', `pocketsphinx_batch (${what}) failed (exit ${r.exitCode})`, {
        exit_code: r.exitCode,
        timed_out: r.timedOut,
        log_tail: logTail(logText),
      });
    }
    return existsSync(seg) ? readFile(seg, 'utf8') : '';
  }

  /**
   * Recognition with pocketsphinx_batch over ≤ 20 s utterances cut at quiet points (one process, the 27 MB
   * language model loaded once). Measured on the LibriVox test data it is both faster and more accurate than
   * pocketsphinx_continuous, whose live cepstral normalisation starts each utterance cold.
   */
  async function transcribe({ pcm16k, signal }: TranscribeInput) {
    if (pcm16k.length < SAMPLE_RATE / 10) return { segments: [], words: [] };
    return withWorkDir(async (dir) => {
      await writeFile(join(dir, 'audio.wav'), encodeWav16({ samples: pcm16k, sampleRate: SAMPLE_RATE }));
      // With -remove_silence no the decoder sees every frame, and on digital silence it invents a word; an
      // utterance whose loudest sample is below -80 dBFS holds no speech, so it is not decoded at all.
      const chunks = chunkAudio({ pcm: pcm16k, sampleRate: SAMPLE_RATE }).filter((c) =>
        hasSignal(pcm16k, c.startFrame * (SAMPLE_RATE / 100), c.endFrame * (SAMPLE_RATE / 100)),
      );
      if (chunks.length === 0) return { segments: [], words: [] };
      // ctl lines `file start_frame end_frame utterance_id` decode parts of one file as separate utterances.
      await writeFile(
        join(dir, 'decode.ctl'),
        chunks.map((c, i) => `audio ${c.startFrame} ${c.endFrame} u${i}\n`).join(''),
      );
      const text = await runBatch({
        dir,
        // Pruning: on the LibriVox test data these halve the CPU time (9.5 s → 4.2 s for 24.7 s of speech) at
        // the same WER (28.2 %); -fwdflat no or tighter beams cost accuracy (bench/captions.ts).
        args: ['-lm', files.lm, '-dict', files.dict, '-maxhmmpf', '3000', '-maxwpf', '5'],
        what: 'decode',
        seconds: pcm16k.length / SAMPLE_RATE,
        ...(signal ? { signal } : {}),
      });
      const words = wordsFromHypseg({ text, chunkStartsMs: chunks.map((c) => c.startFrame * 10) });
      const segments = segmentWords({ words });
      return { segments, words };
    });
  }

  async function align({ pcm16k, text, signal }: AlignInput): Promise<TranscriptWord[]> {
    const tokens = tokenizeScript(text);
    if (tokens.length === 0 || pcm16k.length === 0) return [];
    const units = tokens.flatMap((t) => t.units);
    const cmudict = await loadCmudict(files.dict);
    const dict = alignmentDictionary({ units, lookup: (w) => cmudict.get(w) });
    return withWorkDir(async (dir) => {
      await writeFile(join(dir, 'utt.wav'), encodeWav16({ samples: pcm16k, sampleRate: SAMPLE_RATE }));
      await writeFile(join(dir, 'align.ctl'), 'utt\n');
      await writeFile(join(dir, 'script.jsgf'), alignmentGrammar(units));
      await writeFile(join(dir, 'script.dict'), dict.text);
      const segText = await runBatch({
        dir,
        args: ['-dict', join(dir, 'script.dict'), '-jsgf', join(dir, 'script.jsgf')],
        what: 'align',
        seconds: pcm16k.length / SAMPLE_RATE,
        ...(signal ? { signal } : {}),
      });
      const parsed = parseHypsegLine({ line: segText.split('\n')[0] ?? '' });
      const aligned = (parsed?.words ?? []).filter((w) => !w.filler);
      const words = mapAlignedWords({ tokens, aligned });
      if (!words)
        throw cutroomError(
          'CAPTIONS_ASR_FAILED',
          'forced alignment did not reach the end of the script (the audio may not contain it)',
          {
            script_words: units.length,
            aligned_words: aligned.length,
            out_of_vocabulary: dict.outOfVocabulary,
          },
        );
      return words;
    });
  }

  return {
    name: 'pocketsphinx',
    version: `pocketsphinx-5prealpha+${fingerprint}+${ADAPTER_VERSION}`,
    model: 'pocketsphinx-en-us (en-us acoustic model, en-us.lm.bin, cmudict-en-us)',
    stub: false,
    languages: ['en'],
    transcribe,
    align,
  };
}
