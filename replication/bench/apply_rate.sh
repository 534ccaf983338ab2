#!/usr/bin/env bash
# Apply rate of pgrelocate's continuous mode against native logical replication, on the same kind of
# backlog: pgbench's default (TPC-B like) workload run while the applier is paused.
#
# usage: replication/bench/apply_rate.sh [SECONDS_OF_PGBENCH] [SCALE]      (from the repository root)
#
# Needs the PG15 pair of /work/shared/tools/pgpair.sh (source 127.0.0.1:55432, target :55433) and the
# Debian PostgreSQL 15 client tools. Steps: pgbench -i on the source; pgrelocate copies "bench" and
# streams; its JVM is paused (SIGSTOP) while pgbench builds the backlog; it is resumed (SIGCONT) and
# timed until its slot has confirmed the source's WAL position at the end of the backlog. Then it stops
# (slot and publication dropped, target data kept) and /work/shared/tools/anchor_cdc.sh times a native
# subscription draining a backlog of the same length on the same, now synchronised, pair.
set -euo pipefail
SECS=${1:-20}; SCALE=${2:-10}
cd "$(dirname "$0")/../.."
export PATH=/usr/lib/postgresql/15/bin:$PATH
TOOLS=/work/shared/tools
S="-h 127.0.0.1 -p 55432 -U postgres"; T="-h 127.0.0.1 -p 55433 -U postgres"
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

"$TOOLS/pgpair.sh" start >/dev/null
for side in "$S" "$T"; do psql $side postgres -qc "DROP DATABASE IF EXISTS bench WITH (FORCE)"; done
psql $S postgres -qc "CREATE DATABASE bench"
pgbench $S -i -q -s "$SCALE" bench >/dev/null 2>&1

mvn -B -q -o -pl replication -am compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
CP="core/target/classes:dump/target/classes:replication/target/classes:$(cat replication/target/bench-cp.txt)"
java -cp "$CP" replication/bench/ApplyRate.java "postgresql://postgres@127.0.0.1:55432/postgres?sslmode=disable" \
  "postgresql://postgres@127.0.0.1:55433/postgres?sslmode=disable" "$WORK/stop" bench > "$WORK/pgrelocate.log" 2>&1 &
PID=$!
until grep -q CAUGHT_UP "$WORK/pgrelocate.log"; do
  kill -0 $PID 2>/dev/null || { cat "$WORK/pgrelocate.log"; exit 1; }; sleep 0.5
done

kill -STOP $PID
n0=$(psql $S bench -Atc "select count(*) from pgbench_history")
pgbench $S -T "$SECS" -c 4 -j 2 -n bench 2>&1 | grep -E "^(tps|number of transactions actually)"
n1=$(psql $S bench -Atc "select count(*) from pgbench_history"); txns=$((n1 - n0))
end=$(psql $S bench -Atc "select pg_current_wal_insert_lsn()")
slot="select confirmed_flush_lsn >= '$end' from pg_replication_slots where database = 'bench' and slot_name like 'pgrelocate%'"
a=$(date +%s.%N)
kill -CONT $PID
until [ "$(psql $S bench -Atc "$slot")" = t ]; do sleep 0.1; done
el=$(echo "$(date +%s.%N) - $a" | bc)
# pgbench's default transaction changes 4 rows (3 UPDATEs, 1 INSERT)
echo "pgrelocate-apply txns=$txns rows=$((txns * 4)) seconds=$el txn/s=$(echo "$txns / $el" | bc) rows/s=$(echo "$txns * 4 / $el" | bc)"
touch "$WORK/stop"; wait $PID || { cat "$WORK/pgrelocate.log"; exit 1; }

"$TOOLS/anchor_cdc.sh" "$SECS"
