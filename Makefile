# apilogs: GNU make + pkg-config. See README.md.
#
#   make            build build/apilogs
#   make test       install missing deps, build, run unit + integration tests
#   make asan       the whole suite under ASan + UBSan (build in build/asan)
#   make demo       install deps, build, run apilogs against a seeded emulator
#   make fuzz       build libFuzzer targets and run each for FUZZ_SECONDS
#   make bench      benchmarks against the AWS CLI (bench/results.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make format     clang-format check (make format-fix rewrites)

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc
BUILD	?= build
PKGS	 = libcurl jansson libcrypto zlib libpcre2-8
VERSION	:= $(shell cat VERSION)

CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	   -Wmissing-prototypes -Wvla -Wno-format-nonliteral \
	   -Werror=implicit-function-declaration
ALL_CPPFLAGS = -std=gnu11 -D_GNU_SOURCE -DAPILOGS_VERSION='"$(VERSION)"' \
	   -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) -MMD -MP
# libcurl is loaded with dlopen on first use (src/curlfn.h): its headers
# are needed, not its link line.
LINK_PKGS = jansson libcrypto zlib libpcre2-8
LIBS	 = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lm -ldl
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

# One folder per layer (src/README.md); scripts/layers.sh checks that
# includes only point down.
SRC	 = $(wildcard src/*/*.c src/*/*/*.c)
LIB_SRC	 = $(filter-out src/cli/main.c,$(SRC))
LIB_OBJ	 = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRC = $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
HELPER_OBJ = $(HELPER_SRC:tests/unit/%.c=$(BUILD)/tests/obj/%.o)

.PHONY: all deps test check unit-bins asan demo fuzz bench install \
	uninstall clean format format-fix valgrind

all: $(BUILD)/apilogs

Q	= $(if $(V),,@)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libapilogs.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/apilogs: $(BUILD)/obj/cli/main.o $(BUILD)/libapilogs.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/obj/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(HELPER_OBJ) $(BUILD)/libapilogs.a
	@mkdir -p $(@D)
	@$(if $(V),,echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -o $@ $< \
	    $(HELPER_OBJ) $(BUILD)/libapilogs.a $(LIBS) $(TEST_LIBS)

deps:
	@scripts/deps.sh

# The suite: every unit test binary, then the integration tests against
# moto. scripts/run-tests.sh prints the final "N passed, N failed" line.
test: deps
	@$(MAKE) --no-print-directory all unit-bins
	@scripts/run-tests.sh $(BUILD)

check: test

unit-bins: $(UNIT_BIN)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan \
	    SANFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    CFLAGS='-O1 -g' all unit-bins
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    scripts/run-tests.sh build/asan

valgrind: all unit-bins
	@APILOGS_VALGRIND=1 scripts/run-tests.sh $(BUILD)

demo: deps
	@$(MAKE) --no-print-directory all
	@python3 scripts/demo.py $(BUILD)/apilogs

FUZZ_SECONDS ?= 20
fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: all
	@python3 bench/run.py $(BUILD)/apilogs

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/apilogs $(DESTDIR)$(PREFIX)/bin/apilogs
	install -m 0644 docs/apilogs.1 $(DESTDIR)$(PREFIX)/share/man/man1/apilogs.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/apilogs \
	    $(DESTDIR)$(PREFIX)/share/man/man1/apilogs.1

FORMAT_FILES = $(wildcard src/*/*.[ch] src/*/*/*.[ch] tests/unit/*.[ch] fuzz/*.c bench/*.c)
format:
	clang-format --dry-run -Werror $(FORMAT_FILES)

format-fix:
	clang-format -i $(FORMAT_FILES)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/cli/main.d $(HELPER_OBJ:.o=.d)
