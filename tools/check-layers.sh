#!/bin/sh
# Keeps the house in order (see README, "Where things are"):
#  - only src/web/ (and main.c, which starts the server) knows HTTP,
#    templates or page JSON;
#  - src/web/ runs no SQL: it calls the domain modules;
#  - no source file passes 800 lines;
#  - no two modules include each other, directly or around a circle.
# Prints each breach and exits 1 when there is one.
cd "$(dirname "$0")/.." || exit 2
bad=0
say() { echo "check-layers: $*"; bad=1; }

for f in src/*.c src/*.h; do
	[ "$f" = src/main.c ] && continue
	grep -nE '#include [<"](microhttpd\.h|(web/)?(http|tmpl|jsonw|page|handlers|app)\.h)[>"]' "$f" |
		while IFS= read -r l; do echo "check-layers: $f:$l: the domain includes a web header"; done
done | grep . && bad=1

grep -nE '\b(db_(prep|exec1|exec_script|step|bind_[a-z_]+|col_[a-z_]+|done|begin|commit|rollback|last_id|changes|errmsg)|sqlite3_[a-z_]+)\(|"(BEGIN|COMMIT|ROLLBACK|SELECT|INSERT|UPDATE|DELETE)[ "]' \
	src/web/*.c src/web/*.h | while IFS= read -r l; do echo "check-layers: $l: the web layer runs SQL"; done | grep . && bad=1

for f in src/*.c src/*.h src/web/*.c src/web/*.h; do
	n=$(wc -l < "$f")
	[ "$n" -gt 800 ] && say "$f has $n lines (at most 800)"
done

# The include graph between modules (a module is a file's name without
# .c/.h; lc_*.c, wo_record.c, wo_search.c, db_*.c and demo_*.c belong to lifecycle,
# wo, db and demo),
# then a search for
# a circle from every module.
edges=$(for f in src/*.c src/*.h src/web/*.c src/web/*.h; do
	m=$(basename "$f"); m=${m%.*}
	case $m in lc_*) m=lifecycle;; wo_record|wo_search|wo_int) m=wo;; db_*) m=db;; demo_*) m=demo;; esac
	case $f in src/web/*) m=web/$m;; esac
	sed -n 's/^#include "\(.*\)\.h".*/\1/p' "$f" | while read -r t; do
		case $f in src/web/*) [ -f "src/web/$t.h" ] && t=web/$t;; esac
		case $t in web/*) ;; *) [ -f "src/$t.h" ] || continue;; esac
		case $t in lc_int) t=lifecycle;; wo_int) t=wo;; db_*) t=db;; demo_*) t=demo;; esac
		[ "$m" != "$t" ] && echo "$m $t"
	done
done | sort -u)
cycle=$(echo "$edges" | awk '
	{ out[$1] = out[$1] " " $2; nodes[$1]; nodes[$2] }
	function visit(n,   i, k, list) {
		if (state[n] == 1) { found = n; return 1 }
		if (state[n] == 2) return 0
		state[n] = 1; path[++depth] = n
		k = split(out[n], list, " ")
		for (i = 1; i <= k; i++) if (visit(list[i])) return 1
		state[n] = 2; depth--
		return 0
	}
	END {
		for (n in nodes) if (visit(n)) {
			s = ""; on = 0
			for (i = 1; i <= depth; i++) { if (path[i] == found) on = 1; if (on) s = s path[i] " -> " }
			print s found; exit
		}
	}')
[ -n "$cycle" ] && say "a circle of includes: $cycle"
[ $bad = 0 ] && echo "check-layers: ok (no web header below src/web, no SQL in it, no file over 800 lines, no circle)"
exit $bad
