#!/usr/bin/env bash
# Many small tables: pgrelocate (dump and continuous) next to a serial `pg_dump | psql`, in one run, on the same
# pair of servers at their default lock settings (max_locks_per_transaction = 64, max_connections = 100).
#
# usage: dump/bench/many_tables.sh [TABLES]       (default 10000; from anywhere; builds the CLI jar offline)
#   (an existing source database "many" with TABLES tables is reused)
#   env: SRC_PORT (55432), TGT_PORT (55433): a running pair, e.g. /work/shared/tools/pgpair.sh start,
#        or /work/shared/tools/pgxver.sh start 15 PORT twice; HEAP (256m), JOBS (2), BUILD=0 skips the build,
#        CP_FIRST (class directories to put before the jar), LOGS (a directory keeping each pgrelocate run's output)
#
# Each table: an integer primary key, one more index, a text column and 10 rows. Prints each run's seconds,
# the JVM's peak RSS and the ratio to pg_dump | psql, and checks every table and row arrived.
set -euo pipefail
N=${1:-10000}
SRC_PORT=${SRC_PORT:-55432}; TGT_PORT=${TGT_PORT:-55433}; HEAP=${HEAP:-256m}; JOBS=${JOBS:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=/usr/lib/postgresql/15/bin; export PGOPTIONS="-c client_min_messages=warning"
S="-h 127.0.0.1 -p $SRC_PORT -U postgres"; T="-h 127.0.0.1 -p $TGT_PORT -U postgres"
SRC="postgresql://postgres@127.0.0.1:$SRC_PORT/postgres?sslmode=disable"
TGT="postgresql://postgres@127.0.0.1:$TGT_PORT/postgres?sslmode=disable"
JAR=$ROOT/examples/target/pgrelocate.jar
# CP_FIRST: class directories put before the jar (a quick try of a change without repackaging)
RUN=(java -Xmx$HEAP -cp "${CP_FIRST:+$CP_FIRST:}$JAR" io.pgrelocate.examples.cli.Main)
[ "${BUILD:-1}" = 0 ] || (cd "$ROOT" && mvn -B -q -o -pl examples -am package -DskipTests >/dev/null)

for side in "$S" "$T"; do
  echo "$(psql $side postgres -Atc "select format('port %s: PostgreSQL %s, max_locks_per_transaction %s, max_connections %s',
    current_setting('port'), current_setting('server_version'), current_setting('max_locks_per_transaction'),
    current_setting('max_connections'))")"
done
for db in many many_pgdump; do psql $T postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
psql $T postgres -qc "DROP SCHEMA IF EXISTS pgrelocate CASCADE"
have=$(psql $S many -Atc "select count(*) from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace" \
  2>/dev/null || echo 0)
if [ "$have" != "$N" ]; then
  psql $S postgres -qc "DROP DATABASE IF EXISTS many WITH (FORCE)"
  psql $S postgres -qc "CREATE DATABASE many"
  echo "creating $N tables on the source..."
  # one statement per transaction (psql's autocommit): creating them all at once would overflow the lock table too
  psql $S many -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT format('CREATE TABLE public.t%s (id integer PRIMARY KEY, n integer NOT NULL, v text);
  CREATE INDEX t%s_n ON public.t%s (n);
  INSERT INTO public.t%s SELECT g, g * 7, md5(g::text) FROM generate_series(1, 10) g', i, i, i, i)
FROM generate_series(1, $N) i \gexec
SQL
fi

# prints the seconds "$@" took; its peak RSS goes to $WORK/rss
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
timed() {
  local a b; a=$(date +%s.%N)
  /usr/bin/time -f %M -o "$WORK/rss" "$@" >"$WORK/out" 2>&1 || { tail -20 "$WORK/out"; exit 1; }
  b=$(date +%s.%N); echo "$b - $a" | bc
  [ -z "${LOGS:-}" ] || cp "$WORK/out" "$LOGS/$(date +%H%M%S).log"
}
# every table there, and the sum of every table's rows (one query per table: one transaction could not lock them all)
check() {
  local tables rows
  tables=$(psql $T "$1" -Atc "select count(*) from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace")
  rows=$(psql $T "$1" -At <<<"SELECT format('SELECT count(*) FROM public.%I', relname) FROM pg_class
    WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace \gexec" | awk '{s += $1} END {print s}')
  echo "$tables tables, $rows rows"
  [ "$tables" = "$N" ] && [ "$rows" = "$((N * 10))" ] || { echo "MISMATCH in $1"; exit 1; }
}

psql $T postgres -qc "CREATE DATABASE many_pgdump"
base=$(timed bash -c "$BIN/pg_dump $S -d many | psql $T -d many_pgdump -q -v ON_ERROR_STOP=1")
echo "pg_dump | psql:          ${base} s   ($(check many_pgdump))"
psql $T postgres -qc "DROP DATABASE many_pgdump"

dump=$(timed "${RUN[@]}" migrate --source "$SRC" --target "$TGT" --mode dump --database many -j "$JOBS")
echo "pgrelocate dump:         ${dump} s   peak RSS $(( $(cat "$WORK/rss") / 1024 )) MB   ($(check many))"
psql $T postgres -qc "DROP DATABASE many WITH (FORCE)"
psql $T postgres -qc "DROP SCHEMA IF EXISTS pgrelocate CASCADE"

cont=$(timed "${RUN[@]}" migrate --source "$SRC" --target "$TGT" --mode continuous --cutover auto \
  --database many -j "$JOBS")
echo "pgrelocate continuous:   ${cont} s   peak RSS $(( $(cat "$WORK/rss") / 1024 )) MB   ($(check many))"

printf 'ratio to pg_dump | psql: dump %.2f, continuous %.2f (goal <= 0.50)\n' \
  "$(echo "$dump / $base" | bc -l)" "$(echo "$cont / $base" | bc -l)"
