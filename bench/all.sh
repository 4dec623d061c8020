#!/bin/sh
# Every figure of the speed goals from one run on this machine, each
# beside its baseline measured in the same run where there is one (nginx
# serving the same bytes from a file; SQLite's own time for the same
# query), the ratio, and the goal.  `make bench`.
#
#   sh bench/all.sh                         100,000 work orders
#   WORK_ORDERS=1000000 sh bench/all.sh
#   DURATION=10 sh bench/all.sh             seconds per wrk run (5)
#   ROUNDS=7 sh bench/all.sh                rounds of the list against nginx (5)
#   WRITES=5000 sh bench/all.sh             work orders made, accepted, scheduled (3000)
#   STORE=pg sh bench/all.sh                on PostgreSQL (a throwaway local cluster, the same demo)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${WORK_ORDERS:-100000}
D=${DURATION:-5}
R=${ROUNDS:-5}
C=${CONNECTIONS:-32}
BIN=${FIELDWORK_BIN:-build/fieldwork}
STORE=${STORE:-sqlite}
case $STORE in
sqlite) sh tools/deps.sh wrk nginx-light curl sqlite3 nodejs ;;
pg) sh tools/deps.sh wrk nginx-light curl sqlite3 nodejs postgresql-15 ;;
*) echo "bench: STORE is sqlite or pg"; exit 2 ;;
esac
FW_PORT=18281; NG_PORT=18282
WORK=$(mktemp -d)
chmod 755 "$WORK"
FW_PID=
W_PID=
# stop_server PID: stops a server this shell did not start (its parent is
# gone), back once it has exited or is only left to be reaped, 5 s at most
stop_server() {
  kill "$1" 2>/dev/null || return 0
  i=0
  while [ $i -lt 250 ] && kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null)" != Z ]; do
    sleep 0.02; i=$((i + 1))
  done
}
cleanup() {
  # gone before the next run binds the same port
  [ -n "$FW_PID" ] && stop_server "$FW_PID"
  [ -n "$W_PID" ] && kill "$W_PID" 2>/dev/null && wait "$W_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  [ "$STORE" = pg ] && sh tools/pg-cluster.sh stop "$WORK/pg" || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

demo() { echo "making $N work orders in $DB ..."; "$BIN" demo --db "$DB" --work-orders "$N" --epoch 2026-11-25 --seed 11 >/dev/null; }
if [ "$STORE" = pg ]; then
  # a throwaway local cluster (tools/pg-cluster.sh: no fsync), the same demo
  PGURI=$(sh tools/pg-cluster.sh start "$WORK/pg")
  psql -q "$PGURI" -c "CREATE DATABASE bench"
  DB=$(echo "$PGURI" | sed 's|/postgres?|/bench?|')
  demo
else
  mkdir -p build/bench
  DB=build/bench/wo-$N.db
  [ -f "$DB" ] || demo
fi
"$BIN" init --db "$DB" >/dev/null   # migrations (and their statistics) before anything is timed

# ---- start: spawn to the first answer (from this server, not one left over)
if curl -sf -o /dev/null http://127.0.0.1:$FW_PORT/healthz; then
  echo "bench: port $FW_PORT is taken by another server; stop it first"; exit 1
fi
# (bench/start.js spawns it and asks every millisecond: the server is then
# not this shell's child, and stop_server waits for it to be gone)
set -- $(FIELDWORK_API_RATE=100000 FIELDWORK_CONNS_PER_ADDRESS=1000 node bench/start.js $FW_PORT "$WORK/serve.log" \
  "$BIN" serve --db "$DB" --listen 127.0.0.1:$FW_PORT --threads "$(nproc)")
FW_PID=$1 START_MS=$2
sleep 1
# RSS, and of it the process's own memory (the rest: the binary and the
# libraries, which the kernel shares)
rss() { awk '/VmRSS/ {r = $2} /RssAnon/ {a = $2} END {printf "%.0f MiB (own %.0f MiB)", r / 1024, a / 1024}' /proc/$FW_PID/status; }
RSS_IDLE=$(rss)
# 1,000 keep-alive connections on the idle server (before the reads below
# fill the connections' page caches: see the row after them)
node -e '
const net = require("net"); const port = +process.argv[1]; const socks = [];
let open = 0;
for (let i = 0; i < 1000; i++) {
  const s = net.connect(port, "127.0.0.1", () => { s.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); });
  s.on("data", () => { if (++open === 1000) { console.log("open"); } });
  s.on("error", () => {});
  socks.push(s);
}
setTimeout(() => process.exit(0), 4000);
' $FW_PORT > "$WORK/conns" &
NODE=$!
sleep 3
RSS_1000=$(rss)
wait $NODE || true

OP=$(bench_login $FW_PORT operator@chargepoint.example "$WORK")
PA=$(bench_login $FW_PORT dispatch@megansdispatch.example "$WORK")
[ -n "$OP" ] && [ -n "$PA" ] || { echo "bench: login failed"; exit 1; }
bench_nginx_conf "$WORK" $NG_PORT

wrk_rps() { # URL [session]
  if [ -n "${2:-}" ]; then wrk -t2 -c"$C" -d"${D}s" -H "Cookie: fw_session=$2" "$1"
  else wrk -t2 -c"$C" -d"${D}s" "$1"; fi | awk '/Requests\/sec/ {print $2}'
}

# TIMED: milliseconds of one request each, COUNT times -> "median p99"
timed() { # COUNT SESSION URL
  i=0
  while [ $i -lt "$1" ]; do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: fw_session=$2" "$3"
    i=$((i + 1))
  done | awk '{print $1 * 1000}' | sort -n | awk '{a[NR] = $1} END {m = a[int((NR + 1) / 2)]; p = a[int(NR * 0.99 + 0.999)]; printf "%.1f %.1f", m, p}'
}

ROWS=$WORK/rows
: > "$ROWS"
row() { # figure measured baseline ratio goal
  printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" >> "$ROWS"
}

# ---- the list against nginx serving the same bytes: ROUNDS rounds, each
# nginx then Fieldwork back to back, and the median round's ratio (the
# machine's speed drifts by a fifth from minute to minute; a ratio of two
# runs seconds apart is steadier than either rate)
list_vs_nginx() { # LABEL SESSION PATH
  curl -s -H "Cookie: fw_session=$2" -o "$WORK/www/page" "http://127.0.0.1:$FW_PORT$3"
  chmod 644 "$WORK/www/page"
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  sleep 0.3
  : > "$WORK/rounds"
  i=0
  while [ $i -lt "$R" ]; do
    ng=$(wrk_rps "http://127.0.0.1:$NG_PORT/page")
    fw=$(wrk_rps "http://127.0.0.1:$FW_PORT$3" "$2")
    echo "$(echo "$fw / $ng" | bc -l) $fw $ng" >> "$WORK/rounds"
    i=$((i + 1))
  done
  kill "$(cat "$WORK/nginx.pid")"; sleep 0.3
  set -- "$1" $(sort -n "$WORK/rounds" | awk -v n="$R" 'NR == int((n + 1) / 2) {m = $0} NR == 1 {lo = $1} {hi = $1} END {print m, lo, hi}')
  row "$1 ($(wc -c < "$WORK/www/page") B)" "$(printf '%.0f req/s' "$3")" \
    "$(printf 'nginx %.0f req/s' "$4")" "$(printf '%.2f' "$2")" \
    ">= 0.50 (rounds $(printf '%.2f-%.2f' "$5" "$6"))"
}
list_vs_nginx "List: operator, All Work Orders" "$OP" "/work-orders?view=all"
list_vs_nginx "List: partner, My Open Work Orders" "$PA" "/work-orders?view=my-open"

# ---- searches typed into "Search this list...": p99 over the terms, each
# under five sorts both ways, in All Work Orders and My Open Work Orders
# (a partner's first view); and how many of those pages were of the
# newest matches (too many to sort, and rare at the start of the order).
# Twice: the first pass is a new server's first searches (each worker's
# page cache filled from the file, each query planned once); the second
# reads what the first left in the caches
TERMS="jacksonville kohl head replacement 20088 assure wago fan orlando megan install cable latch door hotel public"
search_p99() { # LABEL SESSION PASS
  all=$WORK/search-$1
  : > "$all"; : > "$all.newest"
  for v in all my-open; do for t in $TERMS; do for s in number subject status target account; do for d in asc desc; do
    curl -s -o "$WORK/page" -w '%{time_total}\n' -H "Cookie: fw_session=$2" \
      "http://127.0.0.1:$FW_PORT/work-orders?view=$v&sort=$s&dir=$d&q=$t" >> "$all"
    if grep -q 'the newest [0-9]* matches' "$WORK/page"; then echo 1 >> "$all.newest"; fi
  done; done; done; done
  n=$(wc -l < "$all"); k=$(wc -l < "$all.newest")
  p99=$(awk '{print $1 * 1000}' "$all" | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int(NR * 0.99 + 0.999)]}')
  row "Search p99, $1 ($n pages, $3)" "$p99 ms" "$k sorted the newest 1000" "" "<= 20 ms"
}
search_p99 operator "$OP" "first pass"
search_p99 operator "$OP" "again"
search_p99 partner "$PA" "first pass"
search_p99 partner "$PA" "again"
# SQLite's own time to find a broad term's matches (what a search gathers first)
SQL_MS=
[ "$STORE" = sqlite ] && SQL_MS=$( { echo ".timer on"; echo "SELECT count(*) FROM wo_fts WHERE wo_fts MATCH 'jacksonville';"; } \
  | sqlite3 "$DB" 2>/dev/null | awk '/Run Time/ {printf "%.1f", $4 * 1000}' || true)
[ -n "$SQL_MS" ] && row "  SQLite alone: the matches of jacksonville" "$SQL_MS ms" "" "" ""
# where the machine pages out what is not read for a while, the first
# pass reads the search's pages from disk: say so beside its figures
IDLE_S=$(bench_pageout)
[ -n "$IDLE_S" ] && row "  this machine pages out pages unread ${IDLE_S} s" "(DAMON)" "first pass: from disk" "" ""

# ---- single pages
set -- $(timed 5 "$OP" "http://127.0.0.1:$FW_PORT/dashboard")
row "Dashboard, operator (median of 5)" "$1 ms" "" "" "<= 200 ms"
set -- $(timed 21 "$PA" "http://127.0.0.1:$FW_PORT/")
row "Home, partner (median of 21)" "$1 ms" "" "" "<= 5 ms"

# ---- memory and start
row "Memory: idle (RSS)" "$RSS_IDLE" "" "" "<= 64 MiB"
row "Memory: 1,000 keep-alive connections" "$RSS_1000" "" "" "<= 128 MiB"
row "Memory: after the reads above (RSS)" "$(rss)" "page caches, 32 MiB a connection at most" "" ""
row "Start: spawn to the first answer" "$START_MS ms" "" "" "<= 100 ms"

# ---- writes, on a copy of the database with its own server: every run
# reads the same work orders (the work orders and posts the writes make
# would otherwise pile up at the top of the lists and in the feed)
if [ "$STORE" = pg ]; then
  # the reads are done: their server goes, so that the database can be copied
  stop_server "$FW_PID"
  FW_PID=
  psql -q "$PGURI" -c "CREATE DATABASE writes TEMPLATE bench"
  WDB=$(echo "$PGURI" | sed 's|/postgres?|/writes?|')
else
  WDB=$WORK/writes.db
  cp "$DB" "$WDB"
  [ -f "$DB-wal" ] && cp "$DB-wal" "$WDB-wal"
fi
posts() { if [ "$STORE" = pg ]; then psql -tA "$WDB" -c "SELECT count(*) FROM post"; else sqlite3 "$WDB" "SELECT count(*) FROM post"; fi; }
WPORT=18283
FIELDWORK_API_RATE=100000 FIELDWORK_CONNS_PER_ADDRESS=1000 "$BIN" serve --db "$WDB" --listen 127.0.0.1:$WPORT \
  --threads "$(nproc)" >/dev/null 2>"$WORK/serve-writes.log" &
W_PID=$!
until curl -sf -o /dev/null http://127.0.0.1:$WPORT/healthz; do sleep 0.005; done
WPA=$(bench_login $WPORT dispatch@megansdispatch.example "$WORK")

# Collaborate posts through HTTP
WO=$(curl -s -H "Cookie: fw_session=$WPA" "http://127.0.0.1:$WPORT/api/work-orders?view=my-open&size=1" | sed -n 's/.*"rows":\[{"number":\([0-9]*\).*/\1/p')
CSRF=$(curl -s -H "Cookie: fw_session=$WPA" "http://127.0.0.1:$WPORT/api/" | sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p')
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf=$CSRF&body=bench+note"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "fw_session=$WPA"
LUA
POSTS0=$(posts 2>/dev/null || echo 0)
W=$(wrk -t2 -c8 -d"${D}s" --latency -s "$WORK/post.lua" "http://127.0.0.1:$WPORT/work-orders/$WO/collaborate" 2>/dev/null)
WRPS=$(echo "$W" | awk '/Requests\/sec/ {print $2}')
WP99=$(echo "$W" | awk '$1 == "99%" {print $2}')
WBAD=$(echo "$W" | awk '/Non-2xx/ {print $NF}')
POSTS=$(( $(posts 2>/dev/null || echo 0) - POSTS0 ))
row "Writes: Collaborate posts (8 connections)" "$(printf '%.0f/s, p99 %s' "$WRPS" "$WP99")${WBAD:+, $WBAD refused}" \
  "$POSTS posts stored in the run" "" ">= 2000/s, p99 <= 20 ms"

# ---- writes: New Work Order, Accept Work Order and scheduling through the
# API (bench/writes.js: JSON with API tokens, 8 connections, every answer
# checked)
toks() { for i in 1 2 3 4 5 6 7 8; do "$BIN" token --db "$WDB" --user "$1" --name "bench $i $$" --scope write; done | paste -sd, -; }
OPT=$(toks operator@chargepoint.example)
PAT=$(toks dispatch@megansdispatch.example)
node bench/writes.js $WPORT 300 8 "$OPT" "$PAT" > /dev/null   # the new server's caches warm
node bench/writes.js $WPORT "${WRITES:-3000}" 8 "$OPT" "$PAT" > "$WORK/writes"
while read -r phase rate p99 bad; do
  # the goals are an accept's and a schedule's (and a post's); the work
  # orders they act on are made first, and their rate is shown too
  goal=">= 2000/s, p99 <= 20 ms"
  case $phase in create) what="New Work Order"; goal="none set (the work orders accepted)";;
  accept) what="Accept Work Order";; *) what="scheduling";; esac
  row "Writes: $what (API)" "$(printf '%s/s, p99 %sms' "$rate" "$p99")$([ "$bad" = 0 ] || echo ", $bad refused")" \
    "${WRITES:-3000} in the run" "" "$goal"
done < "$WORK/writes"
kill "$W_PID" 2>/dev/null && wait "$W_PID" 2>/dev/null || true

echo "Fieldwork speed, $N work orders on $([ "$STORE" = pg ] && echo PostgreSQL || echo SQLite), $(nproc) cores, $(date -u +%Y-%m-%d) (wrk -t2 -c$C -d${D}s)"
awk -F'|' '{printf "%-44s %-28s %-22s %-6s %s\n", $1, $2, $3, $4, $5}' <<EOF
figure|measured|baseline (same run)|ratio|goal
$(cat "$ROWS")
EOF
