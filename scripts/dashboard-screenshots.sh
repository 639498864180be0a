#!/usr/bin/env bash
# Re-makes the dashboard's pictures in docs/img (dashboard-overview.png, dashboard-run.png, dashboard-phone.png).
#
# It generates two days of demo logs (dagscope generate --seed 7 --start 2025-10-20T00:00:00Z --days 2), serves them
# with "now" at their end, and photographs the dashboard in headless Chromium at 1600 px wide, and the top of the
# page on a phone 390 px wide: the same data and the same pictures on every run. Needs Java 17, Maven, and
# /usr/bin/chromium + /usr/bin/chromedriver (Debian/Ubuntu: apt-get install chromium chromium-driver).
# Docs: docs/dashboard.md
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$PWD/docs/img}"
mkdir -p "$out"
mvn -B -q -pl server -am test -Dtest=DashboardScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddagscope.screenshots="$(cd "$out" && pwd)"
ls -l "$out"/dashboard-overview.png "$out"/dashboard-run.png "$out"/dashboard-phone.png
