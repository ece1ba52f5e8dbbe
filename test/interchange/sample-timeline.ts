// A timeline that uses most of what cutroom has, for round trips: tracks of every kind, gaps, a transition,
// speed, a still, a freeze frame, filters, transform, automation, text and captions, times off the frame grid.
import { TimelineSchema, type Timeline } from '../../src/timeline/index.js';
import type { MediaRef } from '../../src/interchange/types.js';

export function sampleTimeline(): Timeline {
  return TimelineSchema.parse({
    id: 'main',
    name: 'Round trip',
    background: '#102030',
    fit: 'fill',
    tracks: [
      {
        id: 'v1',
        kind: 'video',
        clips: [
          { id: 'c2', asset_id: 'ast_b', start_ms: 4000, in_ms: 1000, out_ms: 3000, volume: 0.5 },
          { id: 'c1', asset_id: 'ast_a', start_ms: 0, in_ms: 500, out_ms: 4500, filters: [{ id: 'f1', type: 'brightness', params: { value: 0.1 } }] },
          { id: 'c3', asset_id: 'ast_a', start_ms: 7001, in_ms: 0, out_ms: 4000, speed: 2 },
          { id: 'c4', asset_id: 'ast_img', start_ms: 9001, duration_ms: 1500, transform: { scale: 0.8, position_x: 0.4 } },
          { id: 'c5', asset_id: 'ast_a', start_ms: 11000, freeze_at_ms: 1200, duration_ms: 1000 },
          { id: 'c6', asset_id: 'ast_b', start_ms: 12000, in_ms: 0 },
        ],
        transitions: [{ id: 't1', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 500 }],
      },
      {
        id: 'ov',
        kind: 'overlay',
        hidden: true,
        clips: [
          {
            id: 'o1',
            asset_id: 'ast_img',
            start_ms: 1000,
            duration_ms: 2000,
            opacity: 0.7,
            automation: [{ param: 'opacity', keyframes: [{ t_ms: 0, value: 0 }, { t_ms: 500, value: 0.7 }] }],
          },
        ],
      },
      { id: 'a1', kind: 'audio', volume: 0.8, clips: [{ id: 'm1', asset_id: 'ast_music', start_ms: 0, in_ms: 0, out_ms: 8000, audio_fade_out_ms: 1000 }] },
      {
        id: 'txt',
        kind: 'text',
        items: [
          { id: 'x1', start_ms: 500, duration_ms: 2000, text: 'Hello & <world>', color: '#FFCC00', position: 'top' },
          { id: 'x2', start_ms: 3000, duration_ms: 1333, text: 'Second title' },
        ],
      },
      { id: 'cap', kind: 'caption', items: [{ id: 'k1', transcript_artifact_id: 'art_t', style: 'bold_pop' }] },
    ],
  });
}

export const SAMPLE_MEDIA: Record<string, MediaRef> = {
  ast_a: { url: '/media/a.mp4', name: 'a.mp4', kind: 'video', duration_ms: 10000, has_video: true, has_audio: true, width: 640, height: 360 },
  ast_b: { url: '/media/b clip.mp4', name: 'b clip.mp4', kind: 'video', duration_ms: 6000, has_video: true, has_audio: true, width: 640, height: 360 },
  ast_img: { url: '/media/logo.png', name: 'logo.png', kind: 'image', duration_ms: 0, has_video: true, has_audio: false, width: 200, height: 200 },
  ast_music: { url: '/media/music.wav', name: 'music.wav', kind: 'audio', duration_ms: 20000, has_video: false, has_audio: true },
};
