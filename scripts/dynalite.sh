#!/usr/bin/env bash
# Makes sure dynalite (a DynamoDB-compatible server, in memory) answers on 127.0.0.1:4567 for keepsake-dynamodb's
# tests: installs it from the npm registry into .services/dynalite (ignored by git; reused while its version
# matches) and starts it in the background, logging to .services/dynalite-4567.log. It keeps running after the
# tests, like PostgreSQL and Redis; stop it with: kill "$(cat .services/dynalite-4567.pid)". KEEPSAKE_DYNALITE_PORT
# picks another port (then point the tests at it with KEEPSAKE_DYNALITE_ENDPOINT=http://127.0.0.1:PORT).
# `dynalite.sh --install-only` installs it and starts nothing: keepsake-tier's chaos test runs a private dynalite
# of its own (on disk, so it can be killed and restarted), even when another one already answers on 4567.
set -u
cd "$(dirname "$0")/.."
VERSION=4.0.0
PORT=${KEEPSAKE_DYNALITE_PORT:-4567}
DIR=.services/dynalite
LOG=.services/dynalite-$PORT.log

say() { echo "dynalite: $*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# dynalite answers GET / like DynamoDB does: "healthy: dynamodb.<region>.amazonaws.com".
healthy() {
  local answer
  answer=$( (exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
    && timeout 5 cat <&3) 2>/dev/null) || return 1
  case "$answer" in *"healthy: dynamodb"*) return 0 ;; *) return 1 ;; esac
}

INSTALL_ONLY=false
[ "${1:-}" = "--install-only" ] && INSTALL_ONLY=true

if ! $INSTALL_ONLY && port_open "$PORT"; then
  if healthy; then exit 0; fi
  say "something other than dynalite listens on 127.0.0.1:$PORT; stop it or set KEEPSAKE_DYNALITE_PORT."
  exit 1
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node and npm are needed to install and run dynalite $VERSION for keepsake-dynamodb's tests;"
  say "install Node.js 20 or newer (apt-get install nodejs npm), then run the tests again."
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] 2>/dev/null; then
  say "dynalite $VERSION needs Node.js 20 or newer; found $(node --version). Install a newer one."
  exit 1
fi

installed=$(node -p "require('./$DIR/node_modules/dynalite/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$VERSION" ]; then
  say "installing dynalite $VERSION from the npm registry into $DIR"
  mkdir -p "$DIR"
  if ! npm install --prefix "$DIR" --no-audit --no-fund --no-package-lock --loglevel=error \
      "dynalite@$VERSION" >"$DIR/../dynalite-install.log" 2>&1; then
    say "npm install dynalite@$VERSION failed (is the npm registry reachable?); its output:"
    tail -n 20 "$DIR/../dynalite-install.log" >&2
    exit 1
  fi
fi

if $INSTALL_ONLY; then exit 0; fi

say "starting dynalite $VERSION on 127.0.0.1:$PORT (in memory)"
# setsid: its own session, so that it outlives this script and a Ctrl-C of the build.
setsid nohup node "$DIR/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$PORT" \
  >"$LOG" 2>&1 </dev/null &
echo $! >".services/dynalite-$PORT.pid"
for _ in $(seq 1 100); do healthy && break; sleep 0.2; done
if ! healthy; then
  say "dynalite did not answer on 127.0.0.1:$PORT within 20 s; its log ($LOG):"
  tail -n 20 "$LOG" >&2
  exit 1
fi
