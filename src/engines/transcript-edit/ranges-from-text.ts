import { cutroomError } from '../../errors.js';
import { isRecogniserToken, type TranscriptWord } from '../../plan/captions/transcript.js';
import { alignEditedText, indexRuns, type WordRange } from '../../plan/transcript-edit/index.js';

/**
 * The word ranges an edited text removes. Recogniser tokens ([NOISE], ++UM++) are not in the text people edit:
 * the spoken words are aligned, and a token goes with the words around it when both of them are removed.
 */
export function rangesFromText(words: readonly TranscriptWord[], text: string): WordRange[] {
  const spoken = words.flatMap((w, i) => (isRecogniserToken(w.word) ? [] : [i]));
  const aligned = alignEditedText({ words: spoken.map((i) => words[i]!.word), text });
  if (aligned.too_large)
    throw cutroomError('TRANSCRIPT_EDIT_INVALID', 'text: the edit changes too much to align; remove by word index ranges', {
      issues: [{ path: 'text', message: 'too many changed words to align' }],
    });
  if (aligned.inserted.length > 0)
    throw cutroomError(
      'TRANSCRIPT_EDIT_INVALID',
      `text: words not in the transcript cannot be cut in: ${aligned.inserted
        .slice(0, 5)
        .map((x) => `"${x.token}" (word ${x.position} of the text)`)
        .join(', ')}`,
      { issues: aligned.inserted.map((x) => ({ path: 'text', message: `"${x.token}" at word ${x.position} is not in the transcript` })) },
    );
  const removed = new Set(aligned.removed.map((k) => spoken[k]!));
  words.forEach((w, i) => {
    if (!isRecogniserToken(w.word)) return;
    let a = i - 1;
    while (a >= 0 && isRecogniserToken(words[a]!.word)) a--;
    let b = i + 1;
    while (b < words.length && isRecogniserToken(words[b]!.word)) b++;
    if ((a < 0 || removed.has(a)) && (b >= words.length || removed.has(b)) && (a >= 0 || b < words.length)) removed.add(i);
  });
  return indexRuns([...removed].sort((x, y) => x - y));
}
