import { basename } from 'node:path';
import { probeMedia } from '../../ffmpeg/probe.js';
import type { MediaInfo } from '../../timeline/media-info.js';
import type { CliCommand } from './types.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** A few lines a person can read; --json gives the full MediaInfo. */
export function describeMediaInfo({ name, info }: { name: string; info: MediaInfo }): string {
  const lines = [
    `${name}: ${info.kind}, ${seconds(info.duration_ms)}, ${info.format_name}, ${info.size_bytes} bytes`,
  ];
  const v = info.video;
  if (v) {
    const display =
      v.display_width !== v.width || v.display_height !== v.height
        ? ` (display ${v.display_width}x${v.display_height})`
        : '';
    const rate = v.still ? 'still image' : `${v.fps.num}/${v.fps.den} fps${v.vfr ? ' (variable)' : ''}`;
    const rotation = v.rotation !== 0 ? `, rotated ${v.rotation}°` : '';
    lines.push(`  video: ${v.codec} ${v.width}x${v.height}${display}, ${rate}, ${v.pix_fmt}${rotation}`);
  }
  const a = info.audio;
  if (a) lines.push(`  audio: ${a.codec} ${a.sample_rate} Hz, ${a.channels} ch (${a.channel_layout})`);
  if (info.timecode) lines.push(`  timecode: ${info.timecode}`);
  return lines.join('\n');
}

export const probeCommand: CliCommand = (program, { io }) => {
  program
    .command('probe')
    .description('Show what a media file is (ffprobe): kind, duration, streams')
    .argument('<file>', 'media file')
    .option('--json', 'print the MediaInfo as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const info = await probeMedia({ path: file });
      io.out(opts.json ? JSON.stringify(info, null, 2) : describeMediaInfo({ name: basename(file), info }));
    });
};
