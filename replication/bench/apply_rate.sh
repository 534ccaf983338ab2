#!/usr/bin/env bash
# Apply rate of pgrelocate's continuous mode next to native logical replication, on the same kind of
# backlog: pgbench's default (TPC-B like) workload, run while the applier is not applying.
#
# usage: replication/bench/apply_rate.sh [SECONDS_OF_PGBENCH] [SCALE]    (from anywhere; builds offline)
#   env: SRC_PORT (55432), TGT_PORT (55433), BASE (/tmp/pgrelocate-bench), KEEP=1 keeps the pair running
#
# Starts a PostgreSQL 15 pair from the Debian binaries with the settings of /work/shared/tools/pgpair.sh
# (reuses it if BASE already holds one), then:
#  1. pgbench -i on the source; pgrelocate copies "bench" and streams until caught up;
#  2. its JVM is paused (SIGSTOP) while pgbench runs SECONDS; the JVM is resumed (SIGCONT) and timed
#     until its slot has confirmed the source's WAL insert position at the end of the backlog;
#  3. pgrelocate stops (slot and publication dropped, target data kept, so both sides are in sync); a
#     native subscription (copy_data = false) on a slot created before a second pgbench run of the same
#     length is timed the same way, as /work/shared/tools/anchor_cdc.sh does.
set -euo pipefail
SECS=${1:-20}; SCALE=${2:-10}
SRC_PORT=${SRC_PORT:-55432}; TGT_PORT=${TGT_PORT:-55433}; BASE=${BASE:-/tmp/pgrelocate-bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=/usr/lib/postgresql/15/bin; export PATH=$BIN:$PATH PGOPTIONS="-c client_min_messages=warning"
S="-h 127.0.0.1 -p $SRC_PORT -U postgres"; T="-h 127.0.0.1 -p $TGT_PORT -U postgres"
WORK=$(mktemp -d)
as_pg() { su postgres -s /bin/bash -c "$*"; }
stop_pair() { for n in src tgt; do as_pg "$BIN/pg_ctl -D $BASE/$n -m fast stop" >/dev/null 2>&1 || true; done; }
trap 'rm -rf "$WORK"; [ "${KEEP:-0}" = 1 ] || stop_pair' EXIT

mkdir -p "$BASE"; chown postgres "$BASE"
port=$SRC_PORT
for n in src tgt; do
  if [ ! -d "$BASE/$n" ]; then
    as_pg "$BIN/initdb -D $BASE/$n -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
    cat >> "$BASE/$n/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
max_worker_processes = 16
max_logical_replication_workers = 8
shared_buffers = 512MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
fsync = on
CONF
    echo "host replication all 127.0.0.1/32 trust" >> "$BASE/$n/pg_hba.conf"
  fi
  as_pg "$BIN/pg_ctl -D $BASE/$n status >/dev/null" || as_pg "$BIN/pg_ctl -D $BASE/$n -l $BASE/$n.log -w start >/dev/null"
  port=$TGT_PORT
done

for side in "$S" "$T"; do psql $side postgres -qc "DROP DATABASE IF EXISTS bench WITH (FORCE)"; done
psql $S postgres -qc "CREATE DATABASE bench"
pgbench $S -i -q -s "$SCALE" bench >/dev/null 2>&1

# time until the slot named like $1 has confirmed $2; prints seconds
drain() {
  local a; a=$(date +%s.%N)
  until [ "$(psql $S bench -Atc "select coalesce(bool_and(confirmed_flush_lsn >= '$2'), false) from pg_replication_slots where slot_name like '$1'")" = t ]; do sleep 0.1; done
  echo "$(date +%s.%N) - $a" | bc
}
history() { psql $S bench -Atc "select count(*) from pgbench_history"; }
report() { # name txns seconds; pgbench's default transaction changes 4 rows (3 UPDATEs, 1 INSERT)
  printf '%-10s txns=%d rows=%d seconds=%.2f txn/s=%.0f rows/s=%.0f\n' "$1" "$2" $(($2 * 4)) "$3" \
    "$(echo "$2 / $3" | bc -l)" "$(echo "$2 * 4 / $3" | bc -l)"
}

# 1-2: pgrelocate
(cd "$ROOT" && mvn -B -q -o -pl replication -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt >/dev/null)
CP="$ROOT/core/target/classes:$ROOT/dump/target/classes:$ROOT/replication/target/classes:$(cat "$ROOT/replication/target/bench-cp.txt")"
java -Xmx512m -Dpgrelocate.preflight.optional=true -cp "$CP" "$ROOT/replication/bench/ApplyRate.java" \
  "postgresql://postgres@127.0.0.1:$SRC_PORT/postgres?sslmode=disable" \
  "postgresql://postgres@127.0.0.1:$TGT_PORT/postgres?sslmode=disable" "$WORK/stop" bench > "$WORK/pgrelocate.log" 2>&1 &
PID=$!
until grep -qs CAUGHT_UP "$WORK/pgrelocate.log"; do
  kill -0 $PID 2>/dev/null || { cat "$WORK/pgrelocate.log"; exit 1; }; sleep 0.5
done
kill -STOP $PID
n0=$(history); pgbench $S -T "$SECS" -c 4 -j 2 -n bench 2>&1 | grep -E "^tps" | sed 's/^/pgbench (pgrelocate backlog): /'
txns=$(($(history) - n0)); end=$(psql $S bench -Atc "select pg_current_wal_insert_lsn()")
kill -CONT $PID
el=$(drain 'pgrelocate%' "$end")
report pgrelocate "$txns" "$el"
touch "$WORK/stop"; wait $PID || { cat "$WORK/pgrelocate.log"; exit 1; }

# 3: native logical replication
psql $S bench -qc "DROP PUBLICATION IF EXISTS anchor_pub; CREATE PUBLICATION anchor_pub FOR ALL TABLES"
psql $S bench -Atqc "select pg_create_logical_replication_slot('anchor_cdc', 'pgoutput')" >/dev/null
n0=$(history); pgbench $S -T "$SECS" -c 4 -j 2 -n bench 2>&1 | grep -E "^tps" | sed 's/^/pgbench (native backlog):     /'
txns=$(($(history) - n0)); end=$(psql $S bench -Atc "select pg_current_wal_insert_lsn()")
psql $T bench -qc "CREATE SUBSCRIPTION anchor_cdc CONNECTION 'host=127.0.0.1 port=$SRC_PORT user=postgres dbname=bench' PUBLICATION anchor_pub WITH (create_slot = false, slot_name = 'anchor_cdc', copy_data = false)"
el=$(drain anchor_cdc "$end")
report native "$txns" "$el"
psql $T bench -qc "ALTER SUBSCRIPTION anchor_cdc DISABLE; ALTER SUBSCRIPTION anchor_cdc SET (slot_name = NONE); DROP SUBSCRIPTION anchor_cdc"
psql $S bench -qc "select pg_drop_replication_slot('anchor_cdc'); DROP PUBLICATION anchor_pub" >/dev/null
