#!/usr/bin/env bash
# Measures what a Prometheus scrape of dagscope's /metrics costs (docs/performance.md, "Scraping /metrics").
#
# Usage: scripts/scrape-bench.sh URL [SCRAPES] [TOKEN]
#   URL      a running dagscope serve, e.g. http://127.0.0.1:8080
#   SCRAPES  how many scrapes to time in each format (default 30), one after the other, after 5 to warm up
#   TOKEN    an admin token, when the server runs with --auth
# Prints, for the text format and for OpenMetrics (what Prometheus asks for): the bytes and samples of one scrape,
# and the median, 90th percentile and largest time of a scrape as curl measures it (request to last byte).
set -euo pipefail
url=${1:?usage: scripts/scrape-bench.sh URL [SCRAPES] [TOKEN]}
scrapes=${2:-30}
auth=()
if [[ -n ${3:-} ]]; then auth=(-H "Authorization: Bearer $3"); fi
text='text/plain;version=0.0.4'
openmetrics='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for format in text openmetrics; do
  accept=${!format}
  curl -sf "${auth[@]}" -H "Accept: $accept" "$url/metrics" -o "$tmp"
  bytes=$(wc -c < "$tmp")
  samples=$(grep -vc '^#' "$tmp")
  dagscope=$(grep -c '^dagscope_' "$tmp")
  for _ in 1 2 3 4 5; do curl -sf "${auth[@]}" -H "Accept: $accept" "$url/metrics" -o /dev/null; done
  times=$(for _ in $(seq "$scrapes"); do
    curl -sf "${auth[@]}" -H "Accept: $accept" "$url/metrics" -o /dev/null -w '%{time_total}\n'
  done | sort -n)
  median=$(sed -n "$(( (scrapes + 1) / 2 ))p" <<< "$times")
  p90=$(sed -n "$(( (scrapes * 9 + 9) / 10 ))p" <<< "$times")
  max=$(tail -1 <<< "$times")
  printf '%-12s %10d bytes %7d samples (%d dagscope_*)  median %6.1f ms  p90 %6.1f ms  max %6.1f ms\n' "$format" \
    "$bytes" "$samples" "$dagscope" "$(bc -l <<< "$median * 1000")" "$(bc -l <<< "$p90 * 1000")" \
    "$(bc -l <<< "$max * 1000")"
done
