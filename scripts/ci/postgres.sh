#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for CI: Unix socket in a private directory, no TCP, no password.
#
#   scripts/ci/postgres.sh start      make a fresh cluster and database; print its DATABASE_URL
#   scripts/ci/postgres.sh url        print the DATABASE_URL of the running cluster
#   scripts/ci/postgres.sh psql ARGS  run psql against it (for example -Atc 'SELECT 1')
#   scripts/ci/postgres.sh stop       stop the cluster and delete its directory (safe to repeat)
#
# Only the URL goes to stdout, so `url=$(scripts/ci/postgres.sh start)` works; the rest is stderr.
# The cluster's directory is remembered in a state file (var/ci-postgres, or $TIDTAM_CI_PG_STATE)
# so that `stop` can run from a trap in another shell.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${TIDTAM_CI_PG_STATE:-$ROOT/var/ci-postgres}
DB_NAME=${TIDTAM_CI_PG_DB:-tidtam}
# initdb refuses to run as root: as root, the server runs as the `postgres` user that Debian's
# package creates. The superuser role is called postgres either way and can create databases.
ROLE=postgres

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

pg_bin() {
    local dir
    if [[ -n ${PG_BIN:-} ]]; then
        echo "$PG_BIN"
        return
    fi
    # The newest installed major version.
    dir=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null \
        | sort -V | tail -n 1)
    [[ -n $dir ]] || die "no PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
    dirname "$dir"
}

# Run a server-side command as the cluster's owner.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        getent passwd postgres >/dev/null || die "running as root but there is no postgres user to own the cluster"
        # From a directory postgres can read, or initdb and pg_ctl complain about the cwd.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cluster_dir() {
    [[ -f $STATE ]] || return 1
    local dir
    dir=$(<"$STATE")
    [[ -n $dir && -d $dir ]] || return 1
    echo "$dir"
}

url_for() {
    echo "postgresql:///$DB_NAME?host=$1/socket&user=$ROLE"
}

cmd_start() {
    local bin base
    bin=$(pg_bin)
    if [[ -f $STATE ]]; then
        say "a cluster from an earlier run is recorded in $STATE: removing it first"
        cmd_stop
    fi
    # /tmp, not $TMPDIR: the postgres user must reach it and a Unix socket path must stay short.
    base=$(mktemp -d /tmp/tidtam-pg.XXXXXXXX)
    mkdir -p "$(dirname "$STATE")"
    echo "$base" >"$STATE"
    mkdir "$base/data" "$base/socket"
    chmod 700 "$base/data" "$base/socket"
    if [[ $EUID -eq 0 ]]; then
        chown -R postgres: "$base"
    fi

    say "initdb in $base/data ($("$bin/postgres" --version))"
    # C.UTF-8 exists on every Debian 12; Thai ordering uses the ICU collation th-TH-x-icu explicitly.
    if ! as_owner "$bin/initdb" -D "$base/data" -U "$ROLE" -A trust -E UTF8 --locale=C.UTF-8 \
        >"$base/initdb.log" 2>&1; then
        cat "$base/initdb.log" >&2
        die "initdb failed"
    fi
    # Private socket, no TCP; durability is pointless for a cluster that lives a few minutes.
    cat >>"$base/data/postgresql.conf" <<CONF

# scripts/ci/postgres.sh
listen_addresses = ''
unix_socket_directories = '$base/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    if ! as_owner "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 start >/dev/null; then
        cat "$base/server.log" >&2 || true
        die "the server did not start"
    fi
    "$bin/createdb" -h "$base/socket" -U "$ROLE" "$DB_NAME" \
        || die "createdb $DB_NAME failed"
    say "running; socket in $base/socket, database $DB_NAME"
    url_for "$base"
}

cmd_url() {
    local base
    base=$(cluster_dir) || die "no cluster is running (start one with: $0 start)"
    url_for "$base"
}

cmd_psql() {
    local base
    base=$(cluster_dir) || die "no cluster is running (start one with: $0 start)"
    "$(pg_bin)/psql" -X -v ON_ERROR_STOP=1 -h "$base/socket" -U "$ROLE" -d "$DB_NAME" "$@"
}

cmd_stop() {
    local base
    if ! base=$(cluster_dir); then
        rm -f "$STATE"
        return 0
    fi
    if [[ -f $base/data/postmaster.pid ]]; then
        as_owner "$(pg_bin)/pg_ctl" -D "$base/data" -m fast -w -t 60 stop >/dev/null \
            || say "pg_ctl stop failed; removing the directory anyway"
    fi
    rm -rf "$base"
    rm -f "$STATE"
    say "stopped and removed $base"
}

case ${1:-} in
    start) cmd_start ;;
    url) cmd_url ;;
    psql) shift; cmd_psql "$@" ;;
    stop) cmd_stop ;;
    *) echo "usage: $0 start|url|psql ARGS|stop" >&2; exit 2 ;;
esac
