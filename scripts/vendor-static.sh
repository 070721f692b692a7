#!/usr/bin/env bash
# Refreshes the vendored front-end assets in static/vendor/ from the npm registry.
# Needs node/npm only when run; the files are committed, so neither serving nor CI needs node.
set -euo pipefail
cd "$(dirname "$0")/.."
SARABUN_VERSION=5.3.0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() {  # fetch <package@version> -> unpacked into $tmp/<name>/package
    local spec=$1 dir=$tmp/$2
    mkdir -p "$dir"
    (cd "$dir" && npm pack "$spec" --silent >/dev/null && tar xzf ./*.tgz)
}

fetch "@fontsource/sarabun@$SARABUN_VERSION" sarabun
dest=static/vendor/sarabun
rm -rf "$dest" && mkdir -p "$dest"
for subset in thai latin; do
    for weight in 400 700; do
        cp "$tmp/sarabun/package/files/sarabun-$subset-$weight-normal.woff2" "$dest/"
    done
done
cp "$tmp/sarabun/package/LICENSE" "$dest/LICENSE"
echo "@fontsource/sarabun $SARABUN_VERSION (SIL OFL 1.1)" > "$dest/VERSION"
echo "vendored into static/vendor/"
