/**
 * Every asset a timeline refers to, with the paths that refer to it, so a missing asset can be reported at each
 * place it is used (`tracks[0].clips[2].asset_id`). Pure.
 */
import type { Timeline } from '../timeline/index.js';

export interface AssetRefs {
  /** asset_id -> paths inside the timeline, in document order. */
  media: Map<string, string[]>;
  /** Font assets: asset_id -> paths. */
  fonts: Map<string, string[]>;
  /** Font families named by text layers (and the default). */
  families: Map<string, string[]>;
  /** Of those, the families text layers use with `bold: true` (their Bold face is looked up too). */
  boldFamilies: Map<string, string[]>;
}

export const DEFAULT_FONT_FAMILY = 'DejaVu Sans';

function add(map: Map<string, string[]>, key: string, path: string): void {
  const list = map.get(key);
  if (list) list.push(path);
  else map.set(key, [path]);
}

export function collectAssetRefs(timeline: Timeline): AssetRefs {
  const refs: AssetRefs = {
    media: new Map(),
    fonts: new Map(),
    families: new Map(),
    boldFamilies: new Map(),
  };
  timeline.tracks.forEach((track, t) => {
    if (track.kind === 'caption') {
      track.items.forEach((item, i) =>
        add(refs.families, item.font?.family ?? DEFAULT_FONT_FAMILY, `tracks[${t}].items[${i}].font.family`),
      );
      return;
    }
    if (track.kind === 'text') {
      track.items.forEach((item, i) => {
        const path = `tracks[${t}].items[${i}].font`;
        if (item.font.asset_id) add(refs.fonts, item.font.asset_id, `${path}.asset_id`);
        else {
          add(refs.families, item.font.family ?? DEFAULT_FONT_FAMILY, `${path}.family`);
          if (item.font.bold) add(refs.boldFamilies, item.font.family ?? DEFAULT_FONT_FAMILY, `${path}.bold`);
        }
      });
      return;
    }
    track.clips.forEach((clip, c) => {
      // Generator clips draw their picture; they read no asset.
      if (clip.generator === undefined) add(refs.media, clip.asset_id, `tracks[${t}].clips[${c}].asset_id`);
      if (clip.matte?.asset_id !== undefined)
        add(refs.media, clip.matte.asset_id, `tracks[${t}].clips[${c}].matte.asset_id`);
    });
  });
  return refs;
}
