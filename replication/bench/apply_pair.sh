#!/usr/bin/env bash
# Side by side in one run: time to drain the same kind of backlog, native logical replication vs pgrelocate
# continuous, for one workload, ROUNDS times; prints each round and the median throughput ratio.
#
# usage: replication/bench/apply_pair.sh WORKLOAD [ROUNDS] [SIZE]
#   WORKLOAD: pgbench  pgbench's default (TPC-B like) transactions, scale 10, 4 clients (SIZE txns, 16000)
#             inserts  single-row INSERT transactions, 4 clients (SIZE txns, 100000)
#             bulk     one transaction inserting SIZE rows (2000000)
#             hot      UPDATE-only transactions on pgbench's 10 branches and 100 tellers (SIZE txns, 40000)
#             deletes  transactions deleting 10 rows each (SIZE txns, 20000)
#             wide     INSERT then UPDATE of a 50-column row with jsonb and text (SIZE txns, 20000)
#   needs: a PostgreSQL 15 pair on 127.0.0.1:55432 (source) and :55433 (target), as
#   /work/shared/tools/pgpair.sh starts it (other ports: SRC_PORT and TGT_PORT), and the CLI jar
#   (mvn -DskipTests package; JAR=path runs another build of it). JAVA_OPTS goes to pgrelocate's JVM (for a profile:
#   JAVA_OPTS="-Xmx256m -XX:StartFlightRecording=filename=/tmp/apply.jfr,settings=profile").
#
# Native: schema and rows by pg_dump, a slot created before the backlog, then a subscription (copy_data = false)
# timed until the slot confirms the end of the backlog. pgrelocate: copy and stream until caught up, the
# JVM paused (SIGSTOP) while the backlog is written, resumed and timed the same way. Each round also prints
# the CPU seconds the source, the target and pgrelocate's JVM (and its JIT compiler threads) spent draining:
# on a loaded machine the wall-time ratio swings with the load, the CPU split shows where the work went.
set -uo pipefail
W=${1:?workload}; R=${2:-3}; SIZE=${3:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-$ROOT/examples/target/pgrelocate.jar}; [ -f "$JAR" ] || { echo "no $JAR: mvn -DskipTests package"; exit 1; }
export PATH=/usr/lib/postgresql/15/bin:$PATH PGOPTIONS="-c client_min_messages=warning"
SP=${SRC_PORT:-55432}; TP=${TGT_PORT:-55433}
S="-h 127.0.0.1 -p $SP -U postgres"; T="-h 127.0.0.1 -p $TP -U postgres"
SRC=postgresql://postgres@127.0.0.1:$SP/postgres; TGT=postgresql://postgres@127.0.0.1:$TP/postgres
DB=applybench; WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

setup() { # the workload's tables on the source
  case $W in
    pgbench|hot) pgbench $S -i -q -s 10 $DB >/dev/null 2>&1 ;;
    inserts) psql $S $DB -qc "CREATE TABLE ins (id bigserial PRIMARY KEY, v double precision, at timestamptz DEFAULT now())" ;;
    bulk) psql $S $DB -qc "CREATE TABLE bulk (id bigint PRIMARY KEY, v text)" ;;
    deletes) psql $S $DB -qc "CREATE TABLE del (id bigint PRIMARY KEY, v text); INSERT INTO del SELECT g, md5(g::text) FROM generate_series(1, ${SIZE:-20000} * 10) g" ;;
    wide) psql $S $DB -qc "CREATE TABLE wide (id bigserial PRIMARY KEY, doc jsonb, $(for i in $(seq 1 24); do printf 'i%d int, t%d text, ' $i $i; done) note text)" ;;
    *) echo "unknown workload $W"; exit 2 ;;
  esac
}
backlog() { # writes the backlog on the source; prints the source's WAL position after it
  case $W in
    pgbench) pgbench $S -t $(( ${SIZE:-16000} / 4 )) -c 4 -j 2 -n $DB >/dev/null 2>&1 ;;
    inserts) echo "INSERT INTO ins (v) VALUES (random());" > "$WORK/w.sql"
             pgbench $S -t $(( ${SIZE:-100000} / 4 )) -c 4 -j 2 -n -f "$WORK/w.sql" $DB >/dev/null 2>&1 ;;
    bulk) psql $S $DB -qc "INSERT INTO bulk SELECT g, md5(g::text) FROM generate_series(1, ${SIZE:-2000000}) g" ;;
    hot) printf '%s\n' '\set b random(1, 10)' '\set t random(1, 100)' '\set d random(-5000, 5000)' \
           'UPDATE pgbench_branches SET bbalance = bbalance + :d WHERE bid = :b;' \
           'UPDATE pgbench_tellers SET tbalance = tbalance + :d WHERE tid = :t;' > "$WORK/w.sql"
         pgbench $S -t $(( ${SIZE:-40000} / 4 )) -c 4 -j 2 -n -f "$WORK/w.sql" $DB >/dev/null 2>&1 ;;
    deletes) echo "DELETE FROM del WHERE id IN (SELECT id FROM del ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED);" > "$WORK/w.sql"
             pgbench $S -t $(( ${SIZE:-20000} / 4 )) -c 4 -j 2 -n -f "$WORK/w.sql" $DB >/dev/null 2>&1 ;;
    wide) { echo "INSERT INTO wide (doc, $(for i in $(seq 1 24); do printf 'i%d, t%d, ' $i $i; done) note) VALUES (jsonb_build_object('a', random(), 'tags', jsonb_build_array(1, 2, 3)), $(for i in $(seq 1 24); do printf '%d, md5(random()::text), ' $i; done) repeat('n', 200)) RETURNING id \gset"
            echo "UPDATE wide SET i1 = i1 + 1, t2 = md5(t2), doc = doc || '{\"u\": 1}' WHERE id = :id;"; } > "$WORK/w.sql"
          pgbench $S -t $(( ${SIZE:-20000} / 4 )) -c 4 -j 2 -n -f "$WORK/w.sql" $DB >/dev/null 2>&1 ;;
  esac
  psql $S $DB -Atc "select pg_current_wal_insert_lsn()"
}
drained() { [ "$(psql $S $DB -Atc "select coalesce(bool_and(confirmed_flush_lsn >= '$1'), false) from pg_replication_slots where database = '$DB'")" = t ]; }
fresh() { java -jar "$JAR" cleanup --source $SRC >/dev/null 2>&1
  for side in "$S" "$T"; do dropdb $side --if-exists --force $DB >/dev/null 2>&1; done
  psql $T -qc "DROP SCHEMA IF EXISTS pgrelocate CASCADE" postgres >/dev/null 2>&1
  createdb $S $DB; setup; }
now() { date +%s.%N; }
# CPU seconds spent while draining, when the servers run on this machine (their postmaster.pid readable):
# a loaded machine stretches wall time, CPU time shows who did the work. cpu PID: ticks of PID and its
# children (reaped ones included); jit PID: ticks of its JIT compiler threads (a name with a space: fields one further).
pm() { head -1 "$(psql $1 -Atc 'show data_directory' postgres)/postmaster.pid" 2>/dev/null || echo 0; }
cpu() { [ "${1:-0}" -gt 0 ] || { echo 0; return; }
  local t c; t=$(awk '{print $14+$15+$16+$17}' /proc/$1/stat 2>/dev/null || echo 0)
  for c in $(pgrep -P "$1"); do t=$(( t + $(awk '{print $14+$15}' /proc/$c/stat 2>/dev/null || echo 0) )); done; echo $t; }
jit() { cat /proc/$1/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre\)/ {t += $15 + $16} END {print t + 0}'; }
ticks() { echo "scale=1; ($2 - $1) / $(getconf CLK_TCK)" | bc; }

native() {
  fresh; createdb $T $DB; pg_dump $S $DB | psql $T -q $DB >/dev/null
  psql $S $DB -qc "CREATE PUBLICATION bench_pub FOR ALL TABLES"
  psql $S $DB -Atqc "select pg_create_logical_replication_slot('bench_native', 'pgoutput')" >/dev/null
  local end a s0 t0; end=$(backlog); s0=$(cpu "$SPM"); t0=$(cpu "$TPM"); a=$(now)
  psql $T $DB -qc "CREATE SUBSCRIPTION bench_native CONNECTION 'host=127.0.0.1 port=$SP user=postgres dbname=$DB' PUBLICATION bench_pub WITH (create_slot = false, slot_name = 'bench_native', copy_data = false)"
  until drained "$end"; do sleep 0.1; done
  echo "$(now) - $a" | bc
  echo "source $(ticks "$s0" "$(cpu "$SPM")"), target $(ticks "$t0" "$(cpu "$TPM")")" > "$WORK/ncpu"
  psql $T $DB -qc "ALTER SUBSCRIPTION bench_native DISABLE; ALTER SUBSCRIPTION bench_native SET (slot_name = NONE); DROP SUBSCRIPTION bench_native"
  psql $S $DB -qc "select pg_drop_replication_slot('bench_native')" >/dev/null
}

ours() {
  fresh
  java ${JAVA_OPTS:--Xmx256m} -jar "$JAR" migrate --source $SRC --target $TGT --mode continuous --database $DB \
    --cutover manual --set-replica-identity-full > "$WORK/ours.log" 2>&1 &
  local mig=$! end a
  for _ in $(seq 1 600); do java -jar "$JAR" status --target $TGT --json 2>/dev/null | grep -q -i -E '"(streaming|caught.?up)"' && break
    kill -0 $mig 2>/dev/null || { echo "pgrelocate exited: $(tail -1 "$WORK/ours.log")" >&2; return 1; }; sleep 1; done
  sleep 2; kill -STOP $mig
  end=$(backlog); local s0 t0 j0 c0; s0=$(cpu "$SPM"); t0=$(cpu "$TPM"); j0=$(jit $mig); c0=$(cpu $mig); a=$(now)
  kill -CONT $mig
  until drained "$end"; do kill -0 $mig 2>/dev/null || { echo "pgrelocate exited: $(tail -1 "$WORK/ours.log")" >&2; return 1; }; sleep 0.1; done
  echo "$(now) - $a" | bc
  echo "source $(ticks "$s0" "$(cpu "$SPM")"), target $(ticks "$t0" "$(cpu "$TPM")"), JVM $(ticks "$c0" "$(cpu $mig)") (JIT $(ticks "$j0" "$(jit $mig)"))" > "$WORK/ocpu"
  echo "$(grep VmHWM /proc/$mig/status | awk '{print int($2 / 1024)}')" > "$WORK/rss"
  java -jar "$JAR" stop --target $TGT --wait >/dev/null 2>&1; kill $mig 2>/dev/null; wait $mig 2>/dev/null
  return 0
}

SPM=$(pm "$S"); TPM=$(pm "$T")
declare -a ratios
for i in $(seq 1 "$R"); do
  n=$(native); o=$(ours) || exit 1
  r=$(echo "scale=2; $n / $o" | bc); ratios+=("$r")
  echo "$W round $i: native ${n}s, pgrelocate ${o}s (peak RSS $(cat "$WORK/rss") MB); pgrelocate/native throughput ${r}x"
  echo "  CPU seconds while draining: native: $(cat "$WORK/ncpu"); pgrelocate: $(cat "$WORK/ocpu")"
done
echo "$W median pgrelocate/native throughput: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')x over $R round(s)"
