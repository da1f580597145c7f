# fuzz.mk -- libFuzzer targets (clang, ASan + UBSan); included by the top
# Makefile, which defines PKGS (the pkg-config packages).
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="page ics"]
#	builds every target and runs each for FUZZ_SECONDS from a copy of
#	its seed corpus (build/fuzz/corpus/<target>; new inputs land there,
#	never in tests/fuzz/corpus).  Crashes are written to
#	build/fuzz/artifacts/<target>/; minimise one with
#	build/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 <crash>
#	and keep it in tests/fuzz/regressions/<target>/.
#   make fuzz-replay
#	builds the same binaries and runs each once on its regression
#	inputs and seed corpus; fails on any crash, leak or UB.  `make test`
#	runs it.
#
# Every variable is prefixed FUZZ_ so as not to clash with the includer.

FUZZ_DEBS	 = clang libclang-rt-14-dev
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_MAX_LEN	?= 65536
FUZZ_TIMEOUT	?= 10
FUZZ_RSS_MB	?= 2048
FUZZ_BUILD	?= build/fuzz
FUZZ_DIR	 = tests/fuzz
FUZZ_TARGETS	?= frontmatter schedule page ics config request toml hugo

FUZZ_SAN	 = address,undefined
FUZZ_COMMON	 = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all -Wall -Wextra -Werror $(INC_ALL) \
		   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_LIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
FUZZ_SRCS	 = $(filter-out src/main.c,$(SRCS))
FUZZ_OBJS	 = $(FUZZ_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS	 = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

# Leaks are errors (libFuzzer's -detect_leaks is on by default).
FUZZ_ENV	 = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1 \
		   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FUZZ_FLAGS	 = -max_len=$(FUZZ_MAX_LEN) -timeout=$(FUZZ_TIMEOUT) \
		   -rss_limit_mb=$(FUZZ_RSS_MB)

.PHONY: fuzz fuzz-build fuzz-replay fuzz-clean

fuzz-build: $(FUZZ_BINS)

# The project's objects: coverage-instrumented, without libFuzzer's main.
$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_COMMON) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
		-MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_DIR)/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_COMMON) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< \
		$(FUZZ_OBJS) $(FUZZ_LIBS)

# Kept: they are intermediate files of the pattern rules above.
.PRECIOUS: $(FUZZ_BUILD)/obj/%.o

-include $(FUZZ_OBJS:.o=.d)

# Runs every target (even after one fails), then fails if any did.
fuzz: $(FUZZ_BINS)
	@failed=""; for t in $(FUZZ_TARGETS); do \
		echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
		cp -f $(FUZZ_DIR)/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/ \
			2>/dev/null; \
		$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_FLAGS) \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
			$$(test -f $(FUZZ_DIR)/fuzz_$$t.dict && \
			echo -dict=$(FUZZ_DIR)/fuzz_$$t.dict) \
			$(FUZZ_BUILD)/corpus/$$t $(FUZZ_DIR)/regressions/$$t \
			>$(FUZZ_BUILD)/fuzz_$$t.log 2>&1 \
			|| failed="$$failed $$t"; \
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::new_units_added)' \
			$(FUZZ_BUILD)/fuzz_$$t.log | tr '\n' ' '; echo; \
	done; \
	if [ -n "$$failed" ]; then \
		for t in $$failed; do echo "== fuzz_$$t FAILED (see" \
			"$(FUZZ_BUILD)/fuzz_$$t.log):"; \
			grep -E -A25 '^==[0-9]+==ERROR|runtime error|^SUMMARY|Test unit written' \
			$(FUZZ_BUILD)/fuzz_$$t.log | head -60; done; \
		echo "fuzz: crashes in:$$failed"; exit 1; \
	fi; echo "fuzz: no crash"

# Each target once over its seed corpus (one process), and over each of
# its regression inputs in a process of its own: some bugs show only in
# the first input that touches a lazily loaded time zone.
fuzz-replay: $(FUZZ_BINS)
	@failed=""; for t in $(FUZZ_TARGETS); do \
		log=$(FUZZ_BUILD)/replay_$$t.log; : >$$log; ok=1; n=0; \
		corpus=$$(find $(FUZZ_DIR)/corpus/$$t -type f 2>/dev/null | sort); \
		if [ -n "$$corpus" ]; then n=$$(echo "$$corpus" | wc -l); \
			$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_FLAGS) $$corpus \
			>>$$log 2>&1 || ok=0; fi; \
		for f in $$(find $(FUZZ_DIR)/regressions/$$t -type f \
			! -name 'README*' 2>/dev/null | sort); do n=$$((n + 1)); \
			$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_FLAGS) $$f \
			>>$$log 2>&1 || ok=0; done; \
		if [ $$ok = 1 ]; then echo "== fuzz_$$t: $$n inputs replayed, ok"; \
		else \
			echo "== fuzz_$$t: FAILED (see $$log)"; \
			grep -E -B2 -A25 '^==[0-9]+==ERROR|runtime error|^Running:.*' \
				$$log | grep -v '^Executed' | head -60; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-replay: failures in:$$failed"; \
		exit 1; fi

fuzz-clean:
	rm -rf $(FUZZ_BUILD)
