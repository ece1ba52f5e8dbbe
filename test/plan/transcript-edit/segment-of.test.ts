// segmentOf: the one way an edit planner turns surviving words into a transcript segment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentOf } from '../../../src/plan/transcript-edit/index.js';

test('segmentOf spans its words (end = the latest word end, not the last word) and joins their text', () => {
  const words = [
    { word: 'so', start_ms: 100, end_ms: 400, confidence: 0.9 },
    { word: 'long', start_ms: 300, end_ms: 900, confidence: 0.8 },
    { word: 'ok', start_ms: 500, end_ms: 700, confidence: 0.7 },
  ];
  assert.deepEqual(segmentOf(words), { start_ms: 100, end_ms: 900, text: 'so long ok', words });
});
