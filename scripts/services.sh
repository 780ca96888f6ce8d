#!/usr/bin/env bash
# Makes sure the servers the tests talk to are up on loopback: PostgreSQL 127.0.0.1:5432 (database `test`,
# trust auth), Redis 127.0.0.1:6379 and dynalite 127.0.0.1:4567 (installed from the npm registry by
# scripts/dynalite.sh). Starts them if they are down; fails with a clear message if it cannot.
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_postgres() {
  if port_open 5432; then return 0; fi
  echo "services: PostgreSQL is not answering on 127.0.0.1:5432, starting it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  fi
  for _ in $(seq 1 30); do port_open 5432 && break; sleep 1; done
  if ! port_open 5432; then
    echo "services: cannot start PostgreSQL: nothing listens on 127.0.0.1:5432 and pg_ctlcluster did not start it." >&2
    echo "services: install it (apt-get install postgresql) or start it yourself, then run the tests again." >&2
    return 1
  fi
}

ensure_postgres_db() {
  command -v psql >/dev/null 2>&1 || return 0
  if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -c 'create database test' >/dev/null 2>&1 || true
  fi
  if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    echo "services: PostgreSQL is up but database 'test' is not reachable as user postgres with trust auth." >&2
    return 1
  fi
}

ensure_redis() {
  if port_open 6379; then return 0; fi
  echo "services: Redis is not answering on 127.0.0.1:6379, starting it" >&2
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >&2 || true
  fi
  for _ in $(seq 1 20); do port_open 6379 && break; sleep 0.5; done
  if ! port_open 6379; then
    echo "services: cannot start Redis: nothing listens on 127.0.0.1:6379 and redis-server did not start it." >&2
    echo "services: install it (apt-get install redis-server) or start it yourself, then run the tests again." >&2
    return 1
  fi
}

ensure_postgres && ensure_postgres_db && ensure_redis && "$(dirname "$0")/dynalite.sh"
