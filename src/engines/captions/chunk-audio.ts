/**
 * Cuts long audio into utterances for the recogniser: each at most `maxMs`, cut at the quietest 300 ms in the
 * window between `minMs` and `maxMs` (so a cut rarely lands inside a word). pocketsphinx normalises cepstra
 * over a whole utterance and its search memory grows with utterance length, so minutes-long utterances are
 * both slow and worse. Frames are 10 ms (pocketsphinx's default -frate 100).
 */
export interface AudioChunk {
  startFrame: number;
  /** Exclusive. */
  endFrame: number;
}

export function chunkAudio({
  pcm,
  sampleRate,
  minMs = 8000,
  maxMs = 20000,
}: {
  pcm: Float32Array;
  sampleRate: number;
  minMs?: number;
  maxMs?: number;
}): AudioChunk[] {
  const hop = sampleRate / 100;
  const frames = Math.floor(pcm.length / hop);
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f += 1) {
    let s = 0;
    for (let i = f * hop; i < (f + 1) * hop; i += 1) s += (pcm[i] ?? 0) ** 2;
    energy[f] = s;
  }
  const win = 30;
  const chunks: AudioChunk[] = [];
  let start = 0;
  const maxF = Math.round(maxMs / 10);
  const minF = Math.round(minMs / 10);
  while (frames - start > maxF) {
    let best = start + maxF;
    let bestE = Number.POSITIVE_INFINITY;
    for (let c = start + minF; c <= start + maxF - win; c += 1) {
      let e = 0;
      for (let k = c; k < c + win; k += 1) e += energy[k] ?? 0;
      if (e < bestE) {
        bestE = e;
        best = c + win / 2;
      }
    }
    chunks.push({ startFrame: start, endFrame: best });
    start = best;
  }
  if (frames > start) chunks.push({ startFrame: start, endFrame: frames });
  return chunks;
}
