#!/usr/bin/env bash
# Fetch pinned front-end libraries from the npm registry and copy the files the
# map pages need into static/vendor/. Nothing is loaded from a CDN at run time.
#
# Idempotent: each versioned target directory is rebuilt from scratch on every
# run, and the downloaded tarballs are checked against pinned sha512 integrity
# values (as published in the npm registry's dist.integrity).
#
# Usage: scripts/vendor_assets.sh        (from anywhere; needs node + npm)
set -euo pipefail

LEAFLET_VERSION="1.9.4"
LEAFLET_INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
MARKERCLUSTER_VERSION="1.5.3"
MARKERCLUSTER_INTEGRITY="sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA=="

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="${REPO_ROOT}/static/vendor"

command -v npm >/dev/null || { echo "error: npm not found" >&2; exit 1; }
command -v node >/dev/null || { echo "error: node not found" >&2; exit 1; }

WORK_DIR="$(mktemp -d)"
trap 'rm -rf -- "${WORK_DIR}"' EXIT

# fetch NAME VERSION INTEGRITY -> prints path of the unpacked "package" dir
fetch() {
    local name="$1" version="$2" integrity="$3"
    local dest="${WORK_DIR}/${name}"
    mkdir -p "${dest}"
    # Run from the temp dir so no project package.json/.npmrc is involved.
    (cd "${dest}" && npm pack --silent --ignore-scripts "${name}@${version}" >/dev/null)
    local tgz="${dest}/${name}-${version}.tgz"
    [[ -f "${tgz}" ]] || { echo "error: npm pack did not produce ${tgz}" >&2; exit 1; }
    local actual
    actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "${tgz}")"
    if [[ "${actual}" != "${integrity}" ]]; then
        echo "error: integrity mismatch for ${name}@${version}" >&2
        echo "  expected ${integrity}" >&2
        echo "  actual   ${actual}" >&2
        exit 1
    fi
    tar -xzf "${tgz}" -C "${dest}"
    printf '%s\n' "${dest}/package"
}

# --- Leaflet (BSD-2-Clause) -------------------------------------------------
pkg="$(fetch leaflet "${LEAFLET_VERSION}" "${LEAFLET_INTEGRITY}")"
out="${VENDOR_DIR}/leaflet/${LEAFLET_VERSION}"
rm -rf -- "${out}"
mkdir -p "${out}/images"
install -m 0644 "${pkg}/dist/leaflet.js" "${pkg}/dist/leaflet.css" "${pkg}/LICENSE" "${out}/"
for img in marker-icon.png marker-icon-2x.png marker-shadow.png layers.png layers-2x.png; do
    install -m 0644 "${pkg}/dist/images/${img}" "${out}/images/"
done

# leaflet.css must reference its images relatively so they resolve next to it.
if grep -Eq 'url\((["'"'"']?)(https?:)?//' "${out}/leaflet.css"; then
    echo "error: leaflet.css contains absolute URLs" >&2; exit 1
fi
grep -q 'url(images/layers.png)' "${out}/leaflet.css" \
    || { echo "error: leaflet.css does not reference images/ relatively" >&2; exit 1; }

# --- Leaflet.markercluster (MIT) --------------------------------------------
pkg="$(fetch leaflet.markercluster "${MARKERCLUSTER_VERSION}" "${MARKERCLUSTER_INTEGRITY}")"
out="${VENDOR_DIR}/leaflet.markercluster/${MARKERCLUSTER_VERSION}"
rm -rf -- "${out}"
mkdir -p "${out}"
install -m 0644 "${pkg}/dist/leaflet.markercluster.js" \
    "${pkg}/dist/MarkerCluster.css" "${pkg}/dist/MarkerCluster.Default.css" "${out}/"
# The package ships its MIT licence as MIT-LICENCE.txt; store it as LICENSE.
install -m 0644 "${pkg}/MIT-LICENCE.txt" "${out}/LICENSE"

echo "Vendored into ${VENDOR_DIR}:"
(cd "${VENDOR_DIR}" && find leaflet/"${LEAFLET_VERSION}" leaflet.markercluster/"${MARKERCLUSTER_VERSION}" -type f | sort)
