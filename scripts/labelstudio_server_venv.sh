#!/usr/bin/env bash
# Create .labelstudio-venv/ with the Label Studio server, for tests/test_labelstudio_server.py.
#
# The server pins label-studio-sdk exactly and an older pyarrow, so it lives in its own
# virtualenv and never in the project's environment. Idempotent: when the venv already
# has the pinned server, this returns at once. Override the version with
# LABEL_STUDIO_VERSION, the location with LABEL_STUDIO_VENV.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LABEL_STUDIO_VENV:-$root/.labelstudio-venv}"
version="${LABEL_STUDIO_VERSION:-1.23.2}"
python="${PYTHON:-python3}"
stamp="$venv/.installed-label-studio-$version"

if [[ -f "$stamp" && -x "$venv/bin/label-studio" ]]; then
    echo "label-studio $version already in $venv"
    exit 0
fi

start=$(date +%s)
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "label-studio==$version"
# Not `label-studio --version`: that sets up a database in ~/.local/share and asks git for
# its version from the package folder (which would walk up into this repository).
"$venv/bin/python" -c "import label_studio, label_studio_sdk; print('label-studio', label_studio.__version__)"
rm -f "$venv"/.installed-label-studio-*
touch "$stamp"
echo "installed label-studio $version in $venv in $(( $(date +%s) - start )) s"
