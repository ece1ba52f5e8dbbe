/** An asset's thumbnail in the bin: the first frame of its filmstrip when there is one, else a kind glyph. */
import { memo } from 'react';
import type { Asset } from '../api/types';
import { loadFilmstrip, useLoaded } from '../api/visuals';
import { editor } from '../state/editor';
import { useStore } from '../state/store';

const GLYPH: Record<Asset['kind'], string> = { video: '▶', audio: '♪', image: '▣', font: 'A' };
const BOX_W = 72;
const BOX_H = 40;

export const AssetThumb = memo(function AssetThumb({ asset }: { asset: Asset }) {
  const api = useStore(editor, (s) => s.api);
  const pictured = asset.kind === 'video' || asset.kind === 'image';
  // The same request (asset, tile height) as the clips' filmstrips: the bin and the timeline share it.
  const loaded = useLoaded(api && pictured ? () => loadFilmstrip(api, asset.id) : null, asset.id);
  const sprite = loaded && loaded.asset_id === asset.id ? loaded : undefined;
  const tile = sprite?.tiles[0];
  if (!sprite || !tile) {
    return (
      <div className={`thumb kind-${asset.kind}`} aria-hidden>
        <span>{GLYPH[asset.kind]}</span>
      </div>
    );
  }
  // Cover the box with tile 0, centred (like object-fit: cover on one cell of the sprite).
  const scale = Math.max(BOX_W / tile.width, BOX_H / tile.height);
  const dx = (tile.width * scale - BOX_W) / 2;
  const dy = (tile.height * scale - BOX_H) / 2;
  return (
    <div
      className={`thumb kind-${asset.kind}`}
      aria-hidden
      data-testid={`thumb-${asset.id}`}
      style={{
        backgroundImage: `url("${sprite.url}")`,
        backgroundSize: `${sprite.width * scale}px ${sprite.height * scale}px`,
        backgroundPosition: `${-tile.x * scale - dx}px ${-tile.y * scale - dy}px`,
        backgroundRepeat: 'no-repeat',
      }}
    />
  );
});
