# Shared set-up for scripts/run and scripts/test: system packages, then a virtual environment in .venv.
# Sourced, not run. Each step says in plain words what it needs when it cannot do it itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf 'chair: %s\n' "$*" >&2; }

# Debian packages Qt needs to open a window (offscreen set, then the X11 set), and fonts.
QT_PACKAGES="libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core"
X11_PACKAGES="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1"

missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[*]:-}"
}

ensure_packages() {
  command -v dpkg-query >/dev/null || return 0  # not Debian: the user installs what the README lists
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    say "installing system packages: $missing"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing system packages: $missing"
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    say "these system packages are missing: $missing"
    say "install them with: sudo apt-get install $missing   (then run this command again)"
    exit 1
  fi
}

ensure_python() {
  PYTHON="${PYTHON:-python3}"
  if ! command -v "$PYTHON" >/dev/null; then
    say "Python 3.11 or newer is needed: sudo apt-get install python3 python3-venv"; exit 1
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    say "Python 3.11 or newer is needed, found $("$PYTHON" --version 2>&1)"; exit 1
  fi
  if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    ensure_packages python3-venv
  fi
}

# ensure_venv EXTRAS: create .venv and install the app (editable) with the given extras, once per change
# of pyproject.toml.
ensure_venv() {
  local extras="$1" spec stamp want
  ensure_python
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  spec="."; [ -n "$extras" ] && spec=".[$extras]"
  stamp="$VENV/.chair-installed"
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1) $extras"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Chair and its Python packages into .venv (first time takes a few minutes)"
    "$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' >&2 || true
    (cd "$ROOT" && "$VENV/bin/python" -m pip install -q -e "$spec") 2>&1 | grep -v '^WARNING: Location' >&2 || true
    "$VENV/bin/python" -c 'import chair_app, PySide6, sqlalchemy, reportlab' \
      || { say "the Python packages did not install; see the messages above"; exit 1; }
    echo "$want" > "$stamp"
  fi
}
