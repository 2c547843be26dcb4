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

# ensure_venv: create .venv and install Chair (editable) with its test tools, from the tested set of
# versions in requirements.lock. One venv serves `scripts/run` and `scripts/test`: it is installed once per
# change of pyproject.toml or the lock, under a lock file, so running one while the other sets up waits
# instead of rebuilding the venv under it. pip's own chatter goes to .venv/install.log, shown on failure.
ensure_venv() {
  local stamp want log
  ensure_python
  stamp="$VENV/.chair-installed"
  want="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements.lock" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  mkdir -p "$VENV"
  exec 9>"$VENV/.setup-lock"
  if ! flock -n 9; then
    say "another Chair command is setting up .venv: waiting for it to finish"
    flock 9
  fi
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exec 9>&-; return 0; fi
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  log="$VENV/install.log"
  say "installing Chair and its Python packages into .venv (once; this takes a few minutes)"
  if ! (cd "$ROOT" && "$VENV/bin/python" -m pip install --disable-pip-version-check \
        -c requirements.lock -e ".[test]") >"$log" 2>&1 \
     || ! "$VENV/bin/python" -c 'import chair_app, PySide6, sqlalchemy, reportlab' >>"$log" 2>&1; then
    tail -n 25 "$log" >&2
    say "the Python packages did not install; the whole log is $log"
    exit 1
  fi
  echo "$want" > "$stamp"
  exec 9>&-
}
