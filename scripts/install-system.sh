#!/usr/bin/env bash
# Installs the Debian packages the workspace needs, only those that are missing:
#   always   Jupyter: classic Notebook 6, nbconvert, nbclient, ipykernel, jupyter-client (Debian's; PyPI is not used)
#   --chromium  also headless Chromium (and a font) for the report check of `npm test`
# As root it runs apt-get update, then apt-get install. Without root it installs nothing: it stops
# and prints the exact command to run as root.
set -euo pipefail

want_chromium=false
for arg in "$@"; do
  case "$arg" in
    --chromium) want_chromium=true ;;
    *) echo "usage: $0 [--chromium]" >&2; exit 2 ;;
  esac
done

missing=()
jupyter_ok() {
  [ -x /usr/bin/python3 ] && [ -x /usr/bin/jupyter ] && [ -x /usr/bin/jupyter-nbconvert ] && [ -x /usr/bin/jupyter-notebook ] &&
    /usr/bin/python3 -c 'import notebook, nbconvert, nbclient, ipykernel, jupyter_client, nbformat' >/dev/null 2>&1
}
if ! jupyter_ok; then
  missing+=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client)
fi
if $want_chromium; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

install_command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  {
    echo "Missing Debian packages: ${missing[*]}"
    echo "Installing them needs root. Run this command, then run the npm command again:"
    echo
    echo "  sudo sh -c '$install_command'"
    echo
  } >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages (${missing[*]}) and no apt-get: this workspace expects Debian (bookworm)." >&2
  exit 1
fi

echo "Installing missing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
