# Fieldwork -- `make run` installs what is missing, builds and serves;
# `make check` installs what the tests need and runs every test.

CC      ?= cc
OPT     ?= -O2
CFLAGS  += -std=c17 $(OPT) -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral -D_GNU_SOURCE -Isrc
PKGS    := libmicrohttpd sqlite3 jansson libsodium libcurl libpq
LDLIBS  += $$(pkg-config --libs $(PKGS)) -lhpdf -lcsv -lz -lpthread -lm

SAN     ?=
FUZZ    ?=
ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
# libFuzzer harnesses (tests/fuzz): clang, every object instrumented
BUILD   := build-fuzz
CC      := clang
CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=fuzzer,address,undefined
else
BUILD   := build
endif

SRC      := $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard src/web/*.c)
OBJ      := $(SRC:src/%.c=$(BUILD)/%.o)
ASSETS   := $(sort $(wildcard migrations/*.sql migrations/pg/*.sql templates/*.html static/*.css static/*.js static/*.svg static/vendor/*.js static/vendor/*.css))
BIN      := $(BUILD)/fieldwork
UNIT     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZERS  := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

DEB_BUILD := gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libcurl4-openssl-dev libpq-dev libhpdf-dev libcsv-dev zlib1g-dev fonts-dejavu-core tzdata
DEB_TEST  := libcmocka-dev chromium curl poppler-utils sqlite3 clang libclang-rt-14-dev default-jre-headless postgresql-15
DB        ?= fieldwork.db
LISTEN    ?= 127.0.0.1:8080

.PHONY: FORCE all run check deps deps-test test-unit test-http test-e2e test-san test-fuzz fuzz bench bench-stores clean vendor bench-list

all: deps $(BIN)

$(BIN): $(OBJ) $(BUILD)/main.o $(BUILD)/embed.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c src/*.h src/web/*.h | $(BUILD)/tests $(BUILD)/web
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -c -o $@ $<

# the list of assets is a prerequisite too: a file removed or renamed
# rebuilds the embedded set
$(BUILD)/assets.list: FORCE | $(BUILD)/tests
	@echo '$(ASSETS)' | cmp -s - $@ || echo '$(ASSETS)' > $@

$(BUILD)/embed.S $(BUILD)/embed.c &: $(ASSETS) $(BUILD)/assets.list tools/embed.sh | $(BUILD)/tests
	sh tools/embed.sh $(BUILD) $(ASSETS)

$(BUILD)/embed.o: $(BUILD)/embed.S $(BUILD)/embed.c
	$(CC) -c -o $(BUILD)/embed_data.o $(BUILD)/embed.S
	$(CC) $(CFLAGS) -c -o $(BUILD)/embed_table.o $(BUILD)/embed.c
	ld -r -o $@ $(BUILD)/embed_data.o $(BUILD)/embed_table.o

$(BUILD)/tests $(BUILD)/web:
	mkdir -p $@

# Debian packages: installed when missing (needs root), else a clear message.
deps:
	@sh tools/deps.sh $(DEB_BUILD)

deps-test: deps
	@sh tools/deps.sh $(DEB_TEST)
	@command -v npm >/dev/null || sh tools/deps.sh nodejs npm
	@test node_modules/.fieldwork-stamp -nt package-lock.json || \
		{ npm ci --no-audit --no-fund --ignore-scripts && touch node_modules/.fieldwork-stamp; }

run: all
	@if [ -f $(DB) ]; then ./$(BIN) demo --print-logins; else ./$(BIN) demo --db $(DB); fi
	./$(BIN) serve --db $(DB) --listen $(LISTEN)

$(BUILD)/tests/%: tests/unit/%.c $(OBJ) $(BUILD)/embed.o | $(BUILD)/tests
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -o $@ $< $(OBJ) $(BUILD)/embed.o $(LDFLAGS) $(LDLIBS) -lcmocka

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c $(OBJ) $(BUILD)/embed.o | $(BUILD)/tests
	$(CC) $(CFLAGS) $$(pkg-config --cflags $(PKGS)) -o $@ $< $(OBJ) $(BUILD)/embed.o $(LDFLAGS) $(LDLIBS)

# Each fuzzer runs FUZZ_SECONDS from its seeds (tests/fuzz/seeds) and the
# corpus it grew before (build-fuzz/corpus); a crash stops it with the input
# that caused it saved beside it.  make check runs them briefly.
test-fuzz: deps-test
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-run

fuzz: test-fuzz

fuzz-run: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do n=$$(basename $$f); mkdir -p $(BUILD)/corpus/$$n; \
		echo "== $$n ($(FUZZ_SECONDS) s)"; \
		if $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=0 \
			-artifact_prefix=$(BUILD)/$$n- $(BUILD)/corpus/$$n tests/fuzz/seeds/$$n 2>$(BUILD)/$$n.log; \
		then tail -1 $(BUILD)/$$n.log; echo "# pass 1"; \
		else tail -40 $(BUILD)/$$n.log; echo "# fail 1"; exit 1; fi; done

test-unit: deps-test $(UNIT)
	@set -e; for t in $(UNIT); do echo "== $$t"; $$t; done

test-http: deps-test $(BIN)
	FIELDWORK_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1 tests/http/

test-e2e: deps-test $(BIN)
	FIELDWORK_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1 tests/e2e/

# The unit and HTTP suites again under AddressSanitizer + UBSan.
test-san:
	$(MAKE) SAN=1 test-unit test-http

check: deps-test
	@sh tools/check.sh

bench: all
	sh bench/all.sh

bench-list: all
	sh bench/list.sh

bench-stores: all
	sh bench/stores.sh

vendor:
	npm ci --no-audit --no-fund --ignore-scripts
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/

clean:
	rm -rf build build-san build-fuzz

FORCE:
