#!/usr/bin/env bash
# Rebuilds static/vendor/noble/noble-ristretto255.js from the npm registry (run by hand when upgrading; the portal
# has no build step: the bundled file is committed and served as a static ES module).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm install --silent @noble/curves@2.4.0 @noble/hashes@2.4.0 esbuild@0.28.2
cat > entry.js <<'JS'
export { ristretto255 } from "@noble/curves/ed25519.js";
export { sha512 } from "@noble/hashes/sha2.js";
export { bytesToHex, hexToBytes, randomBytes, utf8ToBytes, concatBytes } from "@noble/hashes/utils.js";
JS
node_modules/@esbuild/linux-x64/bin/esbuild entry.js --bundle --format=esm --minify --legal-comments=inline --outfile=out.js
{ echo "/* @noble/curves 2.4.0 (ristretto255) and @noble/hashes 2.4.0 (sha512, utils), MIT, (c) Paul Miller. Bundled once by scripts/vendor_noble.sh (npm + esbuild); the portal serves this file as is. */"; cat out.js; } > "$here/static/vendor/noble/noble-ristretto255.js"
cp node_modules/@noble/curves/LICENSE "$here/static/vendor/noble/LICENSE"
rm -rf "$work"
