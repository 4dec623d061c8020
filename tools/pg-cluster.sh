#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests: initdb into a temporary
# folder as an unprivileged user (initdb refuses root), a free port, a
# socket in that folder, no fsync (tests only), stopped and removed after.
#
#   tools/pg-cluster.sh start DIR   prints the libpq URI of the new cluster
#   tools/pg-cluster.sh stop DIR
set -eu
B=/usr/lib/postgresql/15/bin
cmd=$1 dir=$2
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
	[ -x "$B/initdb" ] || { echo "pg-cluster: PostgreSQL 15 is not installed (apt-get install postgresql-15)" >&2; exit 1; }
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	as_pg "$B/initdb" -D "$dir/data" -U fw -A trust -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
		|| { cat "$dir/initdb.log" >&2; exit 1; }
	# a port number is only the name of the socket file here (no TCP):
	# another cluster on the same number in another folder does not clash
	port=$(( 20000 + $$ % 20000 ))
	as_pg "$B/pg_ctl" -D "$dir/data" -l "$dir/log" -w start -o "-p $port -k $dir -c listen_addresses='' \
		-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
		|| { cat "$dir/log" >&2; exit 1; }
	echo "postgresql:///postgres?host=$dir&port=$port&user=fw"
	;;
stop)
	[ -d "$dir/data" ] && as_pg "$B/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
