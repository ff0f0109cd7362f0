#!/usr/bin/env bash
# The HTML report as a person sees it: Debian's Chromium (headless) loads the page written by
# `run --html` (a replay) and the golden page with failures, and we assert on the DOM Chromium
# built and keep a screenshot. Without Chromium this fails: a skipped browser test is no test.
#   html_in_browser.sh BINARY OUT_DIR
set -uo pipefail
bin=$1
out=$2
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$out"
browser=$(command -v chromium || true)
[ -n "$browser" ] || { echo "FAIL chromium is not installed (apt-get install chromium)"; exit 1; }
failed=0
check() {  # check NAME FILE TEXT...: the DOM of FILE holds every TEXT
  local name=$1 file=$2
  shift 2
  local dom missing=()
  dom=$("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$file" 2>/dev/null)
  for text in "$@"; do grep -qF -- "$text" <<<"$dom" || missing+=("$text"); done
  # Nothing may be fetched: no external script, stylesheet, image or font.
  grep -qE '<(script|link|img)[ >]|url\(' <<<"$dom" && missing+=("(an external asset or a script)")
  if [ ${#missing[@]} -eq 0 ]; then
    echo "ok   $name"
  else
    echo "FAIL $name: the page lacks: ${missing[*]}"
    failed=$((failed + 1))
  fi
}

"$bin" run --replay "$src/examples/testcloud-compliant" --quiet --html "$out/replay.html" >/dev/null
check "a replayed run's page shows its verdicts and testcases" "$out/replay.html" \
  "testcloud-member" "v5.1" "scs-0103-flavor-2v-4" "scs-0117-test-backup" "scs-0116-permissions"
check "a page with failures shows evidence and remediation, failures first" \
  "$src/tests/reports/golden/mixed.html" "FAIL" "Remediation" "scs-0100-semantics-check"
# Failures first: the first testcase on the mixed page is a FAIL.
first=$("$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$src/tests/reports/golden/mixed.html" \
  2>/dev/null | grep -o '<summary><span class="status [a-z]*">[A-Z/]*' | head -n 1)
if [[ $first == *'>FAIL' ]]; then echo "ok   the first testcase shown is a failure"; else
  echo "FAIL the first testcase shown is '$first', not a failure"; failed=$((failed + 1)); fi
for page in replay mixed; do
  file=$out/$page.html
  [ $page = mixed ] && file=$src/tests/reports/golden/mixed.html
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1400 \
    --screenshot="$out/$page.png" "file://$file" >/dev/null 2>&1
  if [ "$(head -c 8 "$out/$page.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    echo "ok   screenshot $out/$page.png"
  else
    echo "FAIL no screenshot of $page"
    failed=$((failed + 1))
  fi
done
exit $((failed > 0))
