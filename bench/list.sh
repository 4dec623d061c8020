#!/bin/sh
# Work Orders list throughput against nginx serving a static file of the
# same size, both measured in this run on this machine with wrk.
# Prints requests/second and the ratio (the bar: fieldwork >= 0.5 x nginx).
#
#   sh bench/list.sh              100,000 work orders, 10 s per run
#   WORK_ORDERS=1000000 DURATION=20 sh bench/list.sh
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${WORK_ORDERS:-100000}
D=${DURATION:-10}
C=${CONNECTIONS:-32}
BIN=${FIELDWORK_BIN:-build/fieldwork}
sh tools/deps.sh wrk nginx-light curl
mkdir -p build/bench
DB=build/bench/wo-$N.db
if [ ! -f "$DB" ]; then
  echo "making $N work orders in $DB ..."
  "$BIN" demo --db "$DB" --work-orders "$N" --epoch 2026-11-25 --seed 11 >/dev/null
fi
FW_PORT=18181; NG_PORT=18182
# wrk opens every connection from one address: lift the per-address limit
FIELDWORK_CONNS_PER_ADDRESS=1000 "$BIN" serve --db "$DB" --listen 127.0.0.1:$FW_PORT --threads "$(nproc)" >/dev/null 2>build/bench/serve.log &
FW_PID=$!
NG_DIR=$(mktemp -d)
cleanup() {
  kill $FW_PID 2>/dev/null || true
  [ -f "$NG_DIR/nginx.pid" ] && kill "$(cat "$NG_DIR/nginx.pid")" 2>/dev/null || true
  rm -rf "$NG_DIR"
}
trap cleanup EXIT INT TERM
for i in $(seq 50); do curl -sf http://127.0.0.1:$FW_PORT/healthz >/dev/null && break; sleep 0.1; done

# log in as the partner dispatcher of the demo data
SESSION=$(bench_login $FW_PORT dispatch@megansdispatch.example "$NG_DIR")
[ -n "$SESSION" ] || { echo "bench: login failed"; exit 1; }
bench_nginx_conf "$NG_DIR" $NG_PORT

wrk_rps() { # URL [cookie]
  if [ -n "${2:-}" ]; then
    wrk -t2 -c"$C" -d"${D}s" -H "Cookie: fw_session=$2" "$1"
  else
    wrk -t2 -c"$C" -d"${D}s" "$1"
  fi | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "non2xx " $0 > "/dev/stderr"}'
}

printf '%-44s %10s %10s %8s %6s\n' "page" "bytes" "fieldwork" "nginx" "ratio"
for path in "/work-orders?view=all" "/work-orders?view=my-open" "/work-orders?view=all&sort=account&dir=desc" \
            "/api/work-orders?view=all&sort=assigned&dir=desc"; do
  curl -s -b "fw_session=$SESSION" -o "$NG_DIR/www/page" "http://127.0.0.1:$FW_PORT$path"
  chmod 644 "$NG_DIR/www/page"
  BYTES=$(wc -c < "$NG_DIR/www/page")
  nginx -c "$NG_DIR/nginx.conf" -p "$NG_DIR"
  sleep 0.3
  NG=$(wrk_rps "http://127.0.0.1:$NG_PORT/page")
  kill "$(cat "$NG_DIR/nginx.pid")"; sleep 0.3
  FW=$(wrk_rps "http://127.0.0.1:$FW_PORT$path" "$SESSION")
  printf '%-44s %10s %10.0f %8.0f %6.2f\n' "$path" "$BYTES" "$FW" "$NG" "$(echo "$FW / $NG" | bc -l)"
done
