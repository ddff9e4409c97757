#!/usr/bin/env bash
# Install everything the test suite uses on a fresh machine: the package with its test
# and labelstudio extras, Debian's Chromium for the leaderboard browser test (when apt is usable), and
# the Label Studio server in its own virtual environment for the real-server round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e ".[test,labelstudio]"
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: the browser test will be skipped" >&2
fi
if [ -f scripts/labelstudio_server_venv.sh ]; then
  bash scripts/labelstudio_server_venv.sh || echo "Label Studio server not installed: the real-server test will be skipped" >&2
fi
