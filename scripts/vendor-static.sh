#!/usr/bin/env bash
# Refreshes the vendored front-end assets in static/vendor/ from the npm registry.
# Needs node/npm only when run; the files are committed, so neither serving nor CI needs node.
set -euo pipefail
cd "$(dirname "$0")/.."
SARABUN_VERSION=5.3.0
LEAFLET_VERSION=1.9.4
CHARTJS_VERSION=4.6.1
AXE_VERSION=4.14.1

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
# Leaflet: maps drawn from GeoJSON with no tile layer, so they work offline.
fetch "leaflet@$LEAFLET_VERSION" leaflet
dest=static/vendor/leaflet
rm -rf "$dest" && mkdir -p "$dest/images"
# The source map is not shipped: drop its reference so collectstatic's manifest stays complete.
sed '/sourceMappingURL/d' "$tmp/leaflet/package/dist/leaflet.js" > "$dest/leaflet.js"
cp "$tmp/leaflet/package/dist/leaflet.css" "$dest/"
cp "$tmp/leaflet/package/dist/images/"*.png "$dest/images/"
cp "$tmp/leaflet/package/LICENSE" "$dest/LICENSE"
echo "leaflet $LEAFLET_VERSION (BSD-2-Clause)" > "$dest/VERSION"

# Chart.js: charts of budgets, disbursements and rankings.
fetch "chart.js@$CHARTJS_VERSION" chartjs
dest=static/vendor/chartjs
rm -rf "$dest" && mkdir -p "$dest"
sed '/sourceMappingURL/d' "$tmp/chartjs/package/dist/chart.umd.min.js" > "$dest/chart.umd.min.js"
cp "$tmp/chartjs/package/LICENSE.md" "$dest/LICENSE.md"
echo "chart.js $CHARTJS_VERSION (MIT)" > "$dest/VERSION"

# axe-core: only the browser accessibility tests load it (tests/e2e/test_accessibility.py injects
# it into the page), no template references it.
fetch "axe-core@$AXE_VERSION" axe
dest=static/vendor/axe-core
rm -rf "$dest" && mkdir -p "$dest"
cp "$tmp/axe/package/axe.min.js" "$dest/"
cp "$tmp/axe/package/LICENSE" "$dest/LICENSE"
echo "axe-core $AXE_VERSION (MPL-2.0)" > "$dest/VERSION"

echo "vendored into static/vendor/"
