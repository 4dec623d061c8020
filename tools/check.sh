#!/bin/sh
# Runs every test suite (the layer check, unit, HTTP, browser, HTTP and
# browser again on a throwaway PostgreSQL, unit and HTTP again under
# AddressSanitizer + UBSan, then each fuzzer briefly),
# keeps their output in build/check.log, and ends with one line that totals
# them: "N passed, N failed".
set -u
mkdir -p build
log=build/check.log
: > "$log"
status=0
run() {
  echo "== make $*"
  { make --no-print-directory "$@" 2>&1; echo $? > build/.suite-rc; } | tee -a "$log"
  [ "$(cat build/.suite-rc)" = 0 ] || status=1
}
# a throwaway PostgreSQL cluster for the tests of the PostgreSQL store
pgdir=$(mktemp -d -u "${TMPDIR:-/tmp}/fw-pg.XXXXXX")
trap 'sh tools/pg-cluster.sh stop "$pgdir"' EXIT
if FW_TEST_PG=$(sh tools/pg-cluster.sh start "$pgdir"); then
  export FW_TEST_PG
else
  echo "the PostgreSQL test cluster did not start"
  status=1
fi
echo "== tools/check-layers.sh"
if sh tools/check-layers.sh > build/layers.out; then r=pass; else r=fail; status=1; fi
cat build/layers.out; cat build/layers.out >> "$log"; echo "# $r 1" >> "$log"
run test-unit
run test-http
run test-e2e
# the same HTTP and browser suites on the PostgreSQL store
if [ -n "${FW_TEST_PG:-}" ]; then
  export FW_TEST_STORE=pg
  run test-http
  run test-e2e
  unset FW_TEST_STORE
fi
run SAN=1 test-unit
run SAN=1 test-http
run FUZZ_SECONDS=${FUZZ_SECONDS:-10} test-fuzz
passed=$(awk '/^# pass [0-9]+/ {n += $3} /\[  PASSED  \] [0-9]+ test/ {n += $4} END {print n+0}' "$log")
failed=$(awk '/^# fail [0-9]+/ {n += $3} /\[  FAILED  \] [0-9]+ test/ {n += $4} END {print n+0}' "$log")
if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
  echo "sanitizer reports found in $log"
  status=1
fi
[ "$failed" = 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
