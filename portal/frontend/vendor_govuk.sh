#!/usr/bin/env bash
# Vendor GOV.UK Frontend into portal/static/govuk/ so the portal runs without Node.
#
# Installs the versions pinned in package.json (and package-lock.json) into a
# temporary directory, compiles GOV.UK Frontend's Sass with the council's own
# font stack, and copies the compiled CSS and the JavaScript module into
# portal/static/govuk/. Commit the result; never commit node_modules.
#
# What is deliberately NOT shipped: the GDS Transport font, the crown crest and
# the GOV.UK logotype/icons are for GOV.UK alone, and a council service may not
# use them. Every image in the package's assets/ is one of those, so no image
# (nor the manifest that lists them) is copied.
#
# Usage: portal/frontend/vendor_govuk.sh    (needs node and npm; nothing else)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(cd "$here/.." && pwd)/static/govuk"
static_url_path="/static/govuk/assets/"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$work/"
if [[ -f "$here/package-lock.json" ]]; then
    cp "$here/package-lock.json" "$work/"
    (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
else
    (cd "$work" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
        --omit-lockfile-registry-resolved)
    cp "$work/package-lock.json" "$here/package-lock.json"
fi

pkg="$work/node_modules/govuk-frontend"
version="$(node -p "require('$pkg/package.json').version")"
licence="$(node -p "require('$pkg/package.json').license")"
sass_version="$(node -p "require('$work/node_modules/sass/package.json').version")"

# The crest is the only image GOV.UK Frontend's CSS refers to (the footer's
# "© Crown copyright" logo, which the portal does not use). Resolve every image
# to `none` so the CSS points at no file we do not ship; otherwise
# ManifestStaticFilesStorage fails collectstatic on the missing file.
cat >"$work/_portal-url-handlers.scss" <<'SCSS'
@function image-url($filename) {
  @return none;
}
SCSS

cat >"$work/portal-govuk.scss" <<SCSS
@use "sass:meta";
@use "portal-url-handlers";
@use "govuk-frontend/dist/govuk" with (
  \$govuk-font-family: (arial, sans-serif),
  \$govuk-include-default-font-face: false,
  \$govuk-assets-path: "$static_url_path",
  \$govuk-image-url-function: meta.get-function("image-url", \$module: "portal-url-handlers")
);
SCSS

(cd "$work" && node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
    --quiet-deps portal-govuk.scss govuk-frontend.min.css)

# Safety net: any asset URL still aimed at the package's default /assets/ path
# is rewritten to where Django serves the vendored copy.
sed -i -e "s#url(/assets/#url(${static_url_path}#g" -e "s#url(\"/assets/#url(\"${static_url_path}#g" \
    "$work/govuk-frontend.min.css"

fail() {
    echo "vendor_govuk.sh: $*" >&2
    exit 1
}
grep -q "GDS Transport" "$work/govuk-frontend.min.css" && fail "compiled CSS still names GDS Transport"
grep -q "@font-face" "$work/govuk-frontend.min.css" && fail "compiled CSS still declares a font-face"
grep -q "url(" "$work/govuk-frontend.min.css" && fail "compiled CSS refers to an asset the portal does not ship"

rm -rf "$out"
mkdir -p "$out"
cp "$work/govuk-frontend.min.css" "$out/govuk-frontend.min.css"
# The source map is not shipped: drop its comment, or ManifestStaticFilesStorage
# fails collectstatic looking for the .map file.
sed -e 's#//\# sourceMappingURL=[^ ]*$##' "$pkg/dist/govuk/govuk-frontend.min.js" >"$out/govuk-frontend.min.js"
grep -q "sourceMappingURL" "$out/govuk-frontend.min.js" && fail "sourceMappingURL comment left in the JS"

cat >"$out/VERSION.md" <<EOF
# GOV.UK Frontend (vendored)

- Package: \`govuk-frontend\` ${version} (npm), licence: ${licence}
- Compiled with: \`sass\` ${sass_version}
- Made by: \`portal/frontend/vendor_govuk.sh\` (do not edit these files by hand; change
  \`portal/frontend/package.json\` and run the script again)

## What is here
- \`govuk-frontend.min.css\`: GOV.UK Frontend's Sass compiled with
  \`\$govuk-font-family: arial, sans-serif\` and \`\$govuk-include-default-font-face: false\`.
  Image URLs resolve to \`none\`: the only one the CSS uses is the crown crest of the
  footer's "© Crown copyright" link, which the portal does not use.
- \`govuk-frontend.min.js\`: the ES module exporting \`initAll\` (loaded by
  \`portal/static/js/init.js\`), with its \`sourceMappingURL\` comment removed.

## What is deliberately not here
The GDS Transport font, the crown crest, the GOV.UK logotype, GOV.UK's favicons and
app icons, its Open Graph image and the web-app manifest that lists those icons.
They are for GOV.UK alone and a council service may not use them.

## Licence
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF

echo "Vendored govuk-frontend ${version} into ${out}"
ls -l "$out"
