# crier -- a publishing daemon: Markdown folder -> Atom, RSS and iCalendar.
#
#   make run    install what is missing, build, serve feeds/ on 127.0.0.1:8080
#   make test   install what is missing, build, run every test (also under
#               AddressSanitizer+UBSan)
#   make bench  the benchmark against nginx and Hugo (bench/)
#   make bench-100k  the same at 100 000 posts (bench/results-100k.md)
#   make install [PREFIX=/usr/local] [DESTDIR=]

PREFIX	?= /usr/local
BUILD	?= build
OPT	?= -O2 -g
SAN	?=
PKGS	 = libevent libevent_pthreads libevent_openssl openssl libxml-2.0 libical yaml-0.1 md4c-html zlib jansson libxxhash

# Debian packages: to build, and in addition to test.
BUILD_DEBS = gcc make pkg-config libevent-dev libxml2-dev libical-dev \
	libyaml-dev libmd4c-dev libmd4c-html0-dev zlib1g-dev libjansson-dev \
	libxxhash-dev libssl-dev libjemalloc-dev tzdata
TEST_DEBS = $(BUILD_DEBS) libcmocka-dev curl python3 python3-feedparser \
	python3-icalendar python3-recurring-ical-events libxml2-utils \
	valgrind clang libclang-rt-14-dev chromium python3-html5lib openssl \
	hugo python3-jsonschema python3-extruct python3-mf2py newsboat

CFLAGS	 = -std=c11 -D_GNU_SOURCE $(OPT) $(SAN) -Wall -Wextra -Werror \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# The allocator: jemalloc for every build but the sanitizers' (which bring
# their own; valgrind is told its name, valgrind-test).  Why: README,
# "Dependencies"; its settings: src/main.c.
MALLOC_PKG = $(if $(SAN),,jemalloc)
CFLAGS	+= $(if $(SAN),,-DCRIER_JEMALLOC)
LDFLAGS	 = $(SAN)
LDLIBS	 = $(shell pkg-config --libs $(PKGS) $(MALLOC_PKG) 2>/dev/null) -lm \
	   -lpthread

# src/ is in stages, each folder seeing only itself and the ones below it:
# base <- content <- build <- serve <- main.c.  The compiler enforces it:
# a file is built with the include paths of its own stage only.
STAGES	 = base content build serve
SRCS	 = $(foreach s,$(STAGES),$(wildcard src/$(s)/*.c)) src/main.c
OBJS	 = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
INC_base    = -Isrc/base
INC_content = $(INC_base) -Isrc/content
INC_build   = $(INC_content) -Isrc/build
INC_serve   = $(INC_build) -Isrc/serve
INC_ALL     = $(INC_serve)
LIB_OBJS = $(filter-out $(BUILD)/obj/main.o,$(OBJS))
UNIT	 = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

ASAN	 = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer

.PHONY: all run test check unit e2e asan-test valgrind-test deps test-deps \
	bench bench-100k install clean fuzz fuzz-replay soak toml-diff

all: $(BUILD)/crier

$(BUILD)/crier: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/main.o: src/main.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(INC_ALL) -MMD -MP -c -o $@ $<

define stage_rule
$$(BUILD)/obj/$(1)/%.o: src/$(1)/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(INC_$(1)) -MMD -MP -c -o $$@ $$<
endef
$(foreach s,$(STAGES),$(eval $(call stage_rule,$(s))))

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(INC_ALL) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

# Prints toml_parse's reading of files, for tests/toml/differential.py.
$(BUILD)/tests/toml_dump: tests/toml/toml_dump.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(INC_ALL) -o $@ $< $(LIB_OBJS) $(LDLIBS)

-include $(OBJS:.o=.d)

include tests/fuzz/fuzz.mk

# Installs the Debian packages a target needs when they are missing.
define install_debs
	@missing=""; for p in $(1); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "missing packages; run: sudo apt-get install$$missing"; \
			exit 1; \
		fi; \
	fi
endef

install_debs_now = { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	$(1) >/dev/null || { echo "run: sudo apt-get install $(1)"; exit 1; }; }

deps:
	$(call install_debs,$(BUILD_DEBS))

# Node.js may come from Debian or from elsewhere: ask for the commands.
test-deps:
	$(call install_debs,$(TEST_DEBS))
	@command -v node >/dev/null && command -v npm >/dev/null || \
		$(call install_debs_now,nodejs npm)
	@cd tests/e2e && if [ ! -d node_modules/ical.js ] || [ ! -d node_modules/feedsmith ]; then \
		npm ci --no-audit --no-fund --silent || exit 1; fi

run: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/crier -c conf/crier.conf

unit: $(UNIT)
	@set -e; for t in $(UNIT); do echo "== $$t"; ./$$t; done

# The TOML reader against Python's tomllib, on generated documents, the
# fuzz corpus and hand-written invalid ones.
toml-diff: $(BUILD)/tests/toml_dump
	/usr/bin/python3 tests/toml/differential.py $(BUILD)/tests/toml_dump

e2e: $(BUILD)/crier
	CRIER=$(BUILD)/crier CRIER_WRAP="$(WRAP)" /usr/bin/python3 tests/e2e/run.py

# The whole suite: plain build, then AddressSanitizer+UBSan, valgrind, the
# fuzz regressions and the soak test.
test: test-deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory asan-test
	@$(MAKE) --no-print-directory valgrind-test
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory soak

# Churns the content folder while clients fetch and parse every document
# (SOAK_SECONDS, default 60).
soak: all
	CRIER=$(BUILD)/crier /usr/bin/python3 tests/soak.py

check: all unit toml-diff e2e

asan-test:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
		SAN="$(ASAN)" check

valgrind-test: all
	@$(MAKE) --no-print-directory e2e WRAP="valgrind --quiet \
		--soname-synonyms=somalloc=*jemalloc* \
		--leak-check=full --errors-for-leak-kinds=definite \
		--error-exitcode=99"

bench: deps all
	bench/run.sh

# 100 000 posts: only here, never in `make test` or `make bench` (see
# bench/run.sh); its table is bench/results-100k.md.
bench-100k: deps all
	BENCH_SIZES=100000 BENCH_COLD_RUNS=1 BENCH_TIMEOUT=3600 \
		BENCH_RESULTS=$(CURDIR)/bench/results-100k.md bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)/etc/crier $(DESTDIR)/lib/systemd/system
	install -m 755 $(BUILD)/crier $(DESTDIR)$(PREFIX)/bin/crier
	install -m 644 conf/crier.8 $(DESTDIR)$(PREFIX)/share/man/man8/crier.8
	sed -e 's|^content_dir = .*|content_dir = "/srv/crier"|' \
	    -e 's|^state_file = .*|state_file = "/var/lib/crier/state.json"|' \
		conf/crier.conf > $(DESTDIR)/etc/crier/crier.conf.new
	@# an existing configuration is kept
	test -e $(DESTDIR)/etc/crier/crier.conf || \
		mv $(DESTDIR)/etc/crier/crier.conf.new $(DESTDIR)/etc/crier/crier.conf
	rm -f $(DESTDIR)/etc/crier/crier.conf.new
	sed 's|/usr/local/bin/crier|$(PREFIX)/bin/crier|' conf/crier.service \
		> $(DESTDIR)/lib/systemd/system/crier.service
	chmod 644 $(DESTDIR)/lib/systemd/system/crier.service

clean:
	rm -rf build
