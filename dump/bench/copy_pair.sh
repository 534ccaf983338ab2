#!/usr/bin/env bash
# Copy benchmark, side by side in one run: pgrelocate --mode dump vs pgcopydb clone vs a raw per-table
# binary COPY pipe (+ pg_dump's post-data), each end to end into a fresh target database.
# Self-contained: starts its own pair of PostgreSQL 15 clusters on PORT and PORT+1 (default 55452/55453,
# away from other benchmarks' pairs), loads DB once (pgbench scale SCALE + an "events" table of ROWS rows
# of jsonb/bytea/text, ~620 MB at the defaults), then runs ROUNDS rounds.
#   usage: dump/bench/copy_pair.sh [ROUNDS]      (from the project root, after `mvn -DskipTests package`)
#   env:   JOBS (2) SCALE (30) ROWS (500000) PORT (55452) BASE (/tmp/copy_pair) PGBIN (/usr/lib/postgresql/15/bin)
#          RELOAD=1 reloads the source database; STOP=1 stops the pair at the end; JAR (the built CLI) another
#          build to time; VERBOSE=1 runs it with --verbose (phase timings; each round's log kept as pgrelocate.N.log);
#          JAR_B a second build timed in the same rounds (before/after a change under the same load)
# Needs root (clusters run as user postgres) and pgcopydb (`apt-get install -y pgcopydb`) for its column.
set -uo pipefail
R=${1:-3}; JOBS=${JOBS:-2}; SCALE=${SCALE:-30}; ROWS=${ROWS:-500000}; PORT=${PORT:-55452}
BASE=${BASE:-/tmp/copy_pair}; DB=bench; PGB=${PGBIN:-/usr/lib/postgresql/15/bin}; export PATH=$PGB:$PATH
root=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${JAR:-$root/examples/target/pgrelocate.jar}; [ -f "$JAR" ] || { echo "no $JAR: mvn -B -q -DskipTests package" >&2; exit 1; }
S="-h 127.0.0.1 -p $PORT -U postgres"; T="-h 127.0.0.1 -p $((PORT + 1)) -U postgres"
SRC=postgresql://postgres@127.0.0.1:$PORT; TGT=postgresql://postgres@127.0.0.1:$((PORT + 1))
as_pg() { su postgres -s /bin/bash -c "$*"; }

start_pair() {
  mkdir -p "$BASE"; chown postgres "$BASE"; local port=$PORT
  for n in src tgt; do
    if [ ! -d "$BASE/$n" ]; then
      as_pg "$PGB/initdb -D $BASE/$n -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
      cat >> "$BASE/$n/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
max_worker_processes = 16
shared_buffers = 512MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
CONF
    fi
    as_pg "$PGB/pg_ctl -D $BASE/$n status" >/dev/null 2>&1 || as_pg "$PGB/pg_ctl -D $BASE/$n -l $BASE/$n.log -o '-p $port' -w start >/dev/null"
    port=$((port + 1))
  done
}

load() {
  dropdb $S --if-exists --force $DB; createdb $S $DB
  pgbench $S -i -q -s "$SCALE" $DB >/dev/null 2>&1
  psql $S -X -q $DB <<SQL
CREATE TABLE events (id bigserial PRIMARY KEY, at timestamptz NOT NULL, kind text NOT NULL,
  payload jsonb NOT NULL, blob bytea, note text);
INSERT INTO events (at, kind, payload, blob, note)
SELECT now() - g * interval '1 second', 'kind' || (g % 17),
       jsonb_build_object('n', g, 'tags', jsonb_build_array('a' || g % 7, 'b' || g % 11), 'ok', g % 2 = 0),
       decode(md5(g::text) || md5((g * 7)::text), 'hex'), repeat(md5(g::text), 1 + g % 5)
FROM generate_series(1, $ROWS) g;
CREATE INDEX events_at ON events (at);
CREATE INDEX events_kind ON events (kind, at);
VACUUM ANALYZE;
SQL
}

now() { date +%s.%N; }
# a side that failed makes its time meaningless: remembered in a file (the sides run in subshells), no ratio printed
failed() { echo "$*" >&2; echo "$*" >> "$BASE/failed"; }
since() { echo "$(now) - $1" | bc; }
fresh() { dropdb $T --if-exists --force $DB >/dev/null 2>&1; psql $T -qc "DROP SCHEMA IF EXISTS pgrelocate CASCADE" postgres >/dev/null 2>&1; }
ours() { fresh; local a; a=$(now)
  java -jar "${2:-$JAR}" migrate --source "$SRC/postgres" --target "$TGT/postgres" --mode dump --database $DB --jobs "$JOBS" \
    ${VERBOSE:+--verbose} >"$BASE/pgrelocate.log" 2>&1 || failed "pgrelocate failed: $(tail -1 "$BASE/pgrelocate.log")"
  since "$a"; cp "$BASE/pgrelocate.log" "$BASE/pgrelocate.$1${2:+.b}.log"; }
pgcopydb_() { fresh; createdb $T $DB; rm -rf "$BASE/pgcopydb"; local a; a=$(now)
  pgcopydb clone --source "$SRC/$DB" --target "$TGT/$DB" --table-jobs "$JOBS" --index-jobs "$JOBS" \
    --dir "$BASE/pgcopydb" >"$BASE/pgcopydb.log" 2>&1 || failed "pgcopydb failed: $(tail -1 "$BASE/pgcopydb.log")"
  since "$a"; }
# the lower bound: the tables' rows through psql pipes, all tables at once, then pg_dump's post-data as is
pipe() { fresh; createdb $T $DB; pg_dump $S -s --section=pre-data $DB | psql $T -q $DB >/dev/null; local a; a=$(now)
  for t in $(psql $S $DB -Atc "select quote_ident(relname) from pg_class where relkind='r' and relnamespace='public'::regnamespace order by pg_relation_size(oid) desc"); do
    psql $S $DB -qc "COPY $t TO STDOUT (FORMAT binary)" | psql $T $DB -qc "COPY $t FROM STDIN (FORMAT binary)" &
  done; wait
  pg_dump $S -s --section=post-data $DB | psql $T -q $DB >/dev/null
  since "$a"; }

start_pair
rm -f "$BASE/failed"
if [ "${RELOAD:-0}" = 1 ] || ! psql $S -Atc "select 1" $DB >/dev/null 2>&1; then load; fi
echo "source: $(psql $S -Atc "select pg_size_pretty(pg_database_size('$DB'))" $DB), jobs $JOBS, $(nproc) cores, $(psql $S -Atc 'show server_version' $DB | cut -d' ' -f1)"
declare -a o p r b
for i in $(seq 1 "$R"); do
  l1=$(cut -d' ' -f1 /proc/loadavg)
  o+=("$(ours "$i")"); p+=("$(pgcopydb_)"); r+=("$(pipe)")
  [ -n "${JAR_B:-}" ] && b+=("$(ours "$i" "$JAR_B")") && echo "round $i: JAR_B pgrelocate ${b[-1]} s"
  printf 'round %d: pgrelocate %.1f s  pgcopydb %.1f s  raw pipe %.1f s  (load %s -> %s)\n' "$i" "${o[-1]}" "${p[-1]}" "${r[-1]}" "$l1" "$(cut -d' ' -f1 /proc/loadavg)"
done
[ -s "$BASE/failed" ] && { echo "no ratio: a side failed ($(sort -u "$BASE/failed" | head -3))" >&2; exit 1; }
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(med "${o[@]}"); mp=$(med "${p[@]}"); mr=$(med "${r[@]}")
ratios=(); for i in $(seq 0 $((R - 1))); do ratios+=("$(echo "scale=2; ${o[$i]}/${p[$i]}" | bc)/$(echo "scale=2; ${o[$i]}/${r[$i]}" | bc)"); done
echo "per round pgrelocate/pgcopydb / pgrelocate/raw: ${ratios[*]}"
[ -n "${JAR_B:-}" ] && echo "median s: JAR_B pgrelocate $(med "${b[@]}"), JAR $mo"
printf 'median s: pgrelocate %.1f  pgcopydb %.1f  raw %.1f;  pgrelocate/pgcopydb %s  pgrelocate/raw %s\n' "$mo" "$mp" "$mr" \
  "$(echo "scale=2; $mo/$mp" | bc)" "$(echo "scale=2; $mo/$mr" | bc)"
grep -E 'copied .* rows|phase|post-data' "$BASE/pgrelocate.log" | tail -8
[ "${STOP:-0}" = 1 ] && for n in src tgt; do as_pg "$PGB/pg_ctl -D $BASE/$n -m fast stop >/dev/null"; done
exit 0
