#!/usr/bin/env bash
# Opens a cxr report in a real browser (headless Chromium) and fails on any console error, any
# image that did not load, or a page wider than the viewport; keeps a screenshot to look at.
#
#   bench/check-report.sh [OUT_DIR]      (default OUT_DIR: target/check-report)
#
# Generates its own report: cxr make-demo-data --boxes (phantoms with their lesions' boxes), a short
# train, cxr report; that report must have a localisation section with images. Installs
# Debian's chromium with apt-get when it is missing. Needs cxr-examples/target/cxr.jar (built here
# with -o when absent). Set CXR_REPORT to check an existing report.html instead.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/check-report}")
mkdir -p "$OUT"
JAR=cxr-examples/target/cxr.jar
start=$(date +%s)

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is missing: installing Debian's chromium with apt-get"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi

report="${CXR_REPORT:-}"
expect_localisation=0
if [ -z "$report" ]; then
  expect_localisation=1 # the phantoms below come with their boxes
  [ -f "$JAR" ] || mvn -B -o -q -pl cxr-examples -am package -DskipTests -Dmaven.javadoc.skip \
    -Dmaven.source.skip
  work="$OUT/work"
  rm -rf "$work"
  java -jar "$JAR" make-demo-data --out "$work/data" --n 120 --size 64 --seed 5 --boxes >/dev/null
  java -jar "$JAR" train --data "$work/data" --size 64 --width 8 --epochs 3 --batch 16 \
    --augment none --out "$work/model.zip" >/dev/null
  java -jar "$JAR" report --model "$work/model.zip" --data "$work/data" --out "$work/report"
  report="$work/report/report.html"
fi

# A copy of the page with a checker at the top of <head>: it records script errors, resources
# that fail to load and console.error calls, and after the load event writes what it found into
# the DOM, where --dump-dom shows it.
checked="$OUT/checked.html"
cat > "$OUT/checker.js" <<'JS'
<script>
(function () {
  var problems = [];
  window.addEventListener('error', function (e) {
    var t = e.target;
    problems.push(t && t !== window ? 'resource failed: ' + (t.src || t.href || t.tagName)
                                    : 'script error: ' + e.message);
  }, true);
  var ce = console.error;
  console.error = function () { problems.push('console.error: ' + Array.from(arguments).join(' ')); ce.apply(console, arguments); };
  window.addEventListener('load', function () {
    var imgs = document.images, bad = 0;
    for (var i = 0; i < imgs.length; i++) {
      if (!imgs[i].complete || imgs[i].naturalWidth === 0) { bad++; problems.push('image not loaded: ' + (imgs[i].alt || i)); }
    }
    var w = document.documentElement.scrollWidth, v = window.innerWidth;
    if (w > v) problems.push('page wider than the viewport: ' + w + ' > ' + v);
    var d = document.createElement('div');
    d.id = 'cxr-check';
    d.setAttribute('data-images', String(imgs.length));
    d.setAttribute('data-svgs', String(document.querySelectorAll('svg.chart').length));
    var loc = document.getElementById('localisation');
    d.setAttribute('data-localisation', loc ? String(loc.querySelectorAll('img').length) + ' images' : 'none');
    if (window.CXR_EXPECT_LOCALISATION && (!loc || loc.querySelectorAll('img').length === 0)) problems.push('no localisation section with images');
    d.setAttribute('data-width', w + '/' + v);
    d.textContent = problems.length ? 'FAIL ' + problems.join(' | ') : 'OK';
    document.body.appendChild(d);
  });
})();
</script>
JS
if [ "$expect_localisation" = 1 ]; then
  { echo '<script>window.CXR_EXPECT_LOCALISATION = true;</script>'; cat "$OUT/checker.js"; } \
    > "$OUT/checker.tmp" && mv "$OUT/checker.tmp" "$OUT/checker.js"
fi
awk -v f="$OUT/checker.js" 'BEGIN{while((getline l < f) > 0) s = s l "\n"} {print} /<head>/ && !done {printf "%s", s; done=1}' \
  "$report" > "$checked"

status=0
for size in 1280,900 820,1000; do
  w=${size%,*}
  flags=(--headless --disable-gpu --no-sandbox --hide-scrollbars
         --user-data-dir="$OUT/profile" --virtual-time-budget=10000)
  "$browser" "${flags[@]}" --window-size="$size" --enable-logging=stderr --v=0 \
    --dump-dom "file://$checked" \
    >"$OUT/dom-$w.html" 2>"$OUT/console-$w.log" || { echo "chromium failed (see $OUT/console-$w.log)"; status=1; }
  "$browser" "${flags[@]}" --window-size="$size" --screenshot="$OUT/report-$w.png" \
    "file://$report" \
    >/dev/null 2>&1 || { echo "screenshot at $size failed"; status=1; }
  if [ "$w" = 1280 ]; then # the whole page, to look at (not checked)
    "$browser" "${flags[@]}" --window-size=1280,7200 --screenshot="$OUT/report-full.png" \
      "file://$report" >/dev/null 2>&1 || true
  fi
  result=$(grep -o '<div id="cxr-check"[^>]*>[^<]*' "$OUT/dom-$w.html" || true)
  echo "window $size: ${result:-no check result in the DOM}"
  case "$result" in
    *'>OK') ;;
    *) status=1 ;;
  esac
  # the page's own console messages (Chromium logs them as CONSOLE lines)
  if grep -E 'CONSOLE.*(Uncaught|Error|error)' "$OUT/console-$w.log"; then status=1; fi
done
echo "report: $report ($(stat -c %s "$report") bytes); screenshots: $OUT/report-1280.png," \
  "$OUT/report-820.png; $(($(date +%s) - start)) s"
[ "$status" -eq 0 ] && echo "check-report: OK" || echo "check-report: FAILED"
exit "$status"
