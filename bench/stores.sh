#!/bin/sh
# The Work Orders list on each store and on one node against two, all
# measured in this run on this machine with wrk:
#   nginx        a static file of the page's size (the baseline)
#   sqlite       one node on the embedded SQLite file
#   pg           one node on PostgreSQL (a throwaway local cluster)
#   pg x2        two nodes on that PostgreSQL behind nginx (round robin)
# Prints requests/second, the ratio to nginx and to one SQLite node, and
# the time one request takes on each store (median of 21, in ms).
#
#   sh bench/stores.sh                 100,000 work orders, 10 s per run
#   WORK_ORDERS=1000000 DURATION=20 sh bench/stores.sh
set -eu
cd "$(dirname "$0")/.."
N=${WORK_ORDERS:-100000}
D=${DURATION:-10}
C=${CONNECTIONS:-32}
BIN=${FIELDWORK_BIN:-build/fieldwork}
T=$(nproc)
sh tools/deps.sh wrk nginx-light curl postgresql-15
mkdir -p build/bench
DB=build/bench/wo-$N.db
if [ ! -f "$DB" ]; then
  echo "making $N work orders in $DB ..."
  "$BIN" demo --db "$DB" --work-orders "$N" --epoch 2026-11-25 --seed 11 >/dev/null
fi
W=$(mktemp -d)
chmod 755 "$W"
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  [ -f "$W/nginx.pid" ] && kill "$(cat "$W/nginx.pid")" 2>/dev/null || true
  sh tools/pg-cluster.sh stop "$W/pg" || true
  rm -rf "$W"
}
trap cleanup EXIT INT TERM

PGURI=$(sh tools/pg-cluster.sh start "$W/pg")
PGDB=$(echo "$PGURI" | sed 's|/postgres?|/bench?|')
psql -q "$PGURI" -c "CREATE DATABASE bench"
echo "loading $N work orders into PostgreSQL ..."
/usr/bin/time -f "  (%e s)" "$BIN" demo --db "$PGDB" --work-orders "$N" --epoch 2026-11-25 --seed 11 >/dev/null

serve() { # NAME DB PORT
  FIELDWORK_CONNS_PER_ADDRESS=1000 FIELDWORK_TRUSTED_PROXY=127.0.0.1 \
    "$BIN" serve --db "$2" --listen "127.0.0.1:$3" --threads "$T" >/dev/null 2>"$W/$1.log" &
  PIDS="$PIDS $!"
  for i in $(seq 100); do curl -sf "http://127.0.0.1:$3/healthz" >/dev/null && return; sleep 0.1; done
  echo "bench: $1 did not start"; cat "$W/$1.log"; exit 1
}
serve sqlite "$DB" 18191
serve pg-a "$PGDB" 18192
serve pg-b "$PGDB" 18193

login() { # PORT -> session cookie
  jar=$W/jar-$1
  curl -s -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$1/login"
  pre=$(awk '$6 == "fw_pre" {print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$pre&email=dispatch@megansdispatch.example&password=fieldwork-demo" \
    "http://127.0.0.1:$1/login"
  awk '$6 == "fw_session" {print $7}' "$jar"
}
S_LITE=$(login 18191)
S_PG=$(login 18192)     # a session in PostgreSQL is good on both nodes
[ -n "$S_LITE" ] && [ -n "$S_PG" ] || { echo "bench: login failed"; exit 1; }

mkdir -p "$W/www" "$W/tmp"
cat > "$W/nginx.conf" <<CONF
worker_processes $T;
pid $W/nginx.pid;
error_log $W/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/tmp; proxy_temp_path $W/tmp; fastcgi_temp_path $W/tmp;
  uwsgi_temp_path $W/tmp; scgi_temp_path $W/tmp;
  server { listen 127.0.0.1:18194; root $W/www; }
  upstream fieldwork { server 127.0.0.1:18192; server 127.0.0.1:18193; keepalive 64; }
  server {
    listen 127.0.0.1:18195;
    location / {
      proxy_pass http://fieldwork;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
CONF
nginx -c "$W/nginx.conf" -p "$W"
sleep 0.3

rps() { # URL cookie
  wrk -t2 -c"$C" -d"${D}s" ${2:+-H "Cookie: fw_session=$2"} "$1" |
    awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non2xx " $0 > "/dev/stderr"}'
}
ms() { # URL cookie: median time of one request
  for i in $(seq 21); do curl -s -o /dev/null -w '%{time_total}\n' -b "fw_session=$2" "$1"; done |
    sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[11] * 1000 }'
}

printf '%-46s %8s %8s %8s %8s %8s  %s\n' "page" "nginx" "sqlite" "pg" "pg x2" "x2/pg" "ms: sqlite / pg"
for path in "/work-orders?view=all" "/work-orders?view=all&sort=account&dir=desc" \
            "/work-orders?view=my-open&sort=subject" "/work-orders?view=all&q=jacksonville"; do
  curl -s -b "fw_session=$S_LITE" -o "$W/www/page" "http://127.0.0.1:18191$path"
  chmod 644 "$W/www/page"
  NG=$(rps "http://127.0.0.1:18194/page")
  LITE=$(rps "http://127.0.0.1:18191$path" "$S_LITE")
  PG=$(rps "http://127.0.0.1:18192$path" "$S_PG")
  PG2=$(rps "http://127.0.0.1:18195$path" "$S_PG")
  printf '%-46s %8.0f %8.0f %8.0f %8.0f %8.2f  %s / %s\n' "$path" "$NG" "$LITE" "$PG" "$PG2" \
    "$(echo "$PG2 / $PG" | bc -l)" "$(ms "http://127.0.0.1:18191$path" "$S_LITE")" \
    "$(ms "http://127.0.0.1:18192$path" "$S_PG")"
  printf '%-46s %8s %8.2f %8.2f %8.2f   (ratio to nginx)\n' "" "" "$(echo "$LITE / $NG" | bc -l)" \
    "$(echo "$PG / $NG" | bc -l)" "$(echo "$PG2 / $NG" | bc -l)"
done
