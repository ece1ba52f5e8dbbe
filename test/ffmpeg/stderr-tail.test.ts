import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StderrTail } from '../../src/ffmpeg/index.js';

test('keeps only the last lines, across chunk boundaries and \\r status lines', () => {
  const tail = new StderrTail(3, 20);
  tail.push('line 1\nline ');
  tail.push('2\r\nline 3\rline 4\n');
  tail.push('x'.repeat(50) + '\npartial');
  assert.equal(tail.text(), `line 4\n${'x'.repeat(20)}…\npartial`);
});

test('memory stays bounded for a million lines', () => {
  const tail = new StderrTail(40);
  for (let i = 0; i < 1_000_000; i += 1000)
    tail.push(Array.from({ length: 1000 }, (_, j) => `frame ${i + j}`).join('\n') + '\n');
  const lines = tail.text().split('\n');
  assert.equal(lines.length, 40);
  assert.equal(lines.at(-1), 'frame 999999');
});
