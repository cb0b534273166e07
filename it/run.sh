#!/usr/bin/env bash
# Consumer builds: four separate projects that use the installed cxr artifacts as a user would
# (through the BOM). Run after `mvn install` at the repository root. The builds are offline (-o),
# so the cxr artifacts can only come from the local repository; one `dependency:go-offline` per
# project first fetches the third-party plugins and libraries they use that the main build does
# not (a no-op once they are cached; cxr's own artifacts are never published, so it finds them
# in the local repository or fails).
set -euo pipefail
cd "$(dirname "$0")"
projects=(one-liner loss-only augment-only resnet-only)
for p in "${projects[@]}"; do
  if ! mvn -B -q -Dstyle.color=never -f "$p/pom.xml" dependency:go-offline >/dev/null 2>&1; then
    mvn -B -Dstyle.color=never -f "$p/pom.xml" dependency:go-offline | tail -40
    echo "consumer $p: cannot fetch its plugins and libraries"
    exit 1
  fi
done
for p in "${projects[@]}"; do
  start=$(date +%s)
  if ! mvn -B -o -Dstyle.color=never -f "$p/pom.xml" verify > "$p/build.log" 2>&1; then
    tail -60 "$p/build.log"
    echo "consumer $p: FAILED (log: it/$p/build.log)"
    exit 1
  fi
  tests=$(grep -E '^\[INFO\] Tests run: [0-9]+, Failures: 0, Errors: 0, Skipped: 0$' "$p/build.log" | tail -1 | sed 's/\[INFO\] //')
  echo "consumer $p: passed in $(( $(date +%s) - start )) s ($tests)"
  grep -E 'ResNet-50 parameters|weighted cross-entropy:|_[0-9]{3}\.png \{' "$p/build.log" | sed 's/^/  /' || true
done
