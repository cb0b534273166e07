#!/usr/bin/env bash
# Opens the page of `cxr serve` in a real browser: Debian's headless Chromium driven by its
# chromedriver through Selenium (ServePageTest, run here with -Dcxr.serve.browser=required, so a
# missing driver fails instead of skipping). It chooses a phantom radiograph, waits for the bars
# and the Grad-CAM overlay, and fails on a console error, a script error, a Content-Security-Policy
# violation or a page wider than the window (1280 and 820 px). Installs Debian's chromium and
# chromium-driver with apt-get when missing. Keeps the screenshots to look at.
#
#   bench/check-serve-page.sh [OUT_DIR]     (default target/check-serve-page)
#
# Serves a model trained here at 128 px (its Grad-CAM has 4 x 4 cells, so the overlay shows where
# it looks; the unit tests' 32 px model has one cell). Needs cxr-examples/target/cxr.jar (built
# here with -o when absent) and the reactor built (mvn install, or the modules' target/ folders).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/check-serve-page}")
mkdir -p "$OUT"
JAR=cxr-examples/target/cxr.jar
start=$(date +%s)

missing=()
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "${missing[*]} missing: installing Debian's ${missing[*]} with apt-get"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -f "$JAR" ] || mvn -B -o -q -pl cxr-examples -am package -DskipTests -Dmaven.javadoc.skip \
  -Dmaven.source.skip
if [ ! -f "$OUT/model.zip" ]; then
  java -jar "$JAR" make-demo-data --out "$OUT/data" --n 120 --size 128 --seed 5 >/dev/null
  java -jar "$JAR" train --data "$OUT/data" --size 128 --width 8 --epochs 3 --batch 16 \
    --augment none --out "$OUT/model.zip" >/dev/null
fi
mvn -B -o -q -pl cxr-serve -am test -Dtest=ServePageTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcxr.serve.browser=required -Dcxr.serve.model="$OUT/model.zip" -Dcxr.serve.screenshots="$OUT" \
  -Dmaven.javadoc.skip -Dmaven.source.skip -Dspotless.check.skip=true
echo "screenshots: $OUT/page-1280.png, $OUT/page-820.png; $(($(date +%s) - start)) s"
echo "check-serve-page: OK"
