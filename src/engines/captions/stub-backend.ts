/**
 * The stand-in recogniser, used only when no real one is available (pocketsphinx missing) or when asked for
 * with VIDEO_CAPTIONS_BACKEND=stub. Deterministic and obviously fake: it finds loud stretches by RMS energy
 * and labels them "speech 1", "speech 2"…; with a script it spreads the script's words evenly over the audio.
 * Results carry `stub: true` and a CAPTIONS_STUB_BACKEND warning.
 */
import type { TranscriptSegment, TranscriptWord } from '../../plan/captions/transcript.js';
import { tokenizeScript } from './align-script.js';
import { SAMPLE_RATE, type AsrBackend } from './backend.js';

const FRAME = SAMPLE_RATE / 50; // 20 ms

function speechRuns(pcm: Float32Array): Array<{ start_ms: number; end_ms: number }> {
  const runs: Array<{ start_ms: number; end_ms: number }> = [];
  let start = -1;
  const frames = Math.floor(pcm.length / FRAME);
  for (let f = 0; f <= frames; f += 1) {
    let loud = false;
    if (f < frames) {
      let sum = 0;
      for (let i = f * FRAME; i < (f + 1) * FRAME; i += 1) sum += (pcm[i] ?? 0) ** 2;
      loud = Math.sqrt(sum / FRAME) > 0.02;
    }
    if (loud && start < 0) start = f;
    if (!loud && start >= 0) {
      if (f - start >= 5) runs.push({ start_ms: start * 20, end_ms: f * 20 });
      start = -1;
    }
  }
  return runs;
}

export function createStubAsrBackend(): AsrBackend {
  return {
    name: 'stub',
    version: 'stub-asr-1',
    model: 'none (stub)',
    stub: true,
    languages: [],
    transcribe: async ({ pcm16k }) => {
      const segments: TranscriptSegment[] = speechRuns(pcm16k).map((r, i) => {
        const word: TranscriptWord = { ...r, word: `speech ${i + 1}`, confidence: 0 };
        return { ...r, text: word.word, words: [word] };
      });
      return { segments, words: segments.flatMap((s) => s.words) };
    },
    align: async ({ pcm16k, text }) => {
      const tokens = tokenizeScript(text);
      const total = Math.floor((pcm16k.length / SAMPLE_RATE) * 1000);
      if (tokens.length === 0 || total === 0) return [];
      const step = total / tokens.length;
      return tokens.map((t, i) => ({
        start_ms: Math.round(i * step),
        end_ms: Math.round((i + 1) * step),
        word: t.display,
        confidence: 0,
      }));
    },
  };
}
