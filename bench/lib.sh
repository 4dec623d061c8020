# bench/lib.sh -- what the benchmarks share, sourced by all.sh and list.sh:
# a demo login, and nginx serving a directory as the baseline.

# bench_login PORT EMAIL DIR: prints the session cookie of EMAIL's login
# (the demo password), its cookie jar kept in DIR.
bench_login() {
  jar=$3/jar-$2
  curl -s -c "$jar" -b "$jar" -o /dev/null "http://127.0.0.1:$1/login"
  pre=$(awk '$6 == "fw_pre" {print $7}' "$jar")
  curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$pre&email=$2&password=fieldwork-demo" "http://127.0.0.1:$1/login"
  awk '$6 == "fw_session" {print $7}' "$jar"
}

# bench_nginx_conf DIR PORT: writes DIR/nginx.conf, nginx serving DIR/www
# on 127.0.0.1:PORT without logs, one worker per core.
bench_nginx_conf() {
  mkdir -p "$1/www" "$1/tmp"
  chmod 755 "$1" "$1/www"
  cat > "$1/nginx.conf" <<CONF
worker_processes $(nproc);
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $1/tmp; proxy_temp_path $1/tmp; fastcgi_temp_path $1/tmp;
  uwsgi_temp_path $1/tmp; scgi_temp_path $1/tmp;
  server { listen 127.0.0.1:$2; root $1/www; }
}
CONF
}

# bench_pageout: prints how many seconds a page may stay unread before this
# machine pages it out (a DAMON "pageout" scheme turned on, as some
# virtual machines run to give memory back to their host), or nothing
# where there is none or it cannot be read (only root can).  The database
# file's pages are then read from disk again once a minute or so of the
# bench has passed without them: a new server's first searches show it.
bench_pageout() {
  for k in /sys/kernel/mm/damon/admin/kdamonds/*; do
    [ "$(cat "$k/state" 2>/dev/null)" = on ] || continue
    for c in "$k"/contexts/*; do
      aggr=$(cat "$c/monitoring_attrs/intervals/aggr_us" 2>/dev/null) || continue
      for s in "$c"/schemes/*; do
        [ "$(cat "$s/action" 2>/dev/null)" = pageout ] || continue
        age=$(cat "$s/access_pattern/age/min" 2>/dev/null) || continue
        echo $(( age * aggr / 1000000 ))
        return 0
      done
    done
  done
}
