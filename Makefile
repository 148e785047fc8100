# prepbox - non-recursive build. See README.md.
#
#   make                 build/prepbox: dynamic, system cc, pkg-config libmnl libcjson
#   make static          build/static/prepbox: musl-gcc -static (scripts/build-musl-deps.sh)
#   make check           unit, integration and end-to-end tests (as root)
#   make demo            a container prepared end to end with runc (as root)
#   make bench           prepbox against the shell and ip -batch: build/bench.txt (as root)
#   make defconfig       .config with every applet; menuconfig, oldconfig, olddefconfig
#   make install         DESTDIR=, PREFIX=/usr/local: the binary, prep-* links, man pages
#   make clean
#
# Kconfig (Config.in, .config) decides what is built; make variables decide
# how. The project's flags are kept apart from CFLAGS/CPPFLAGS/LDFLAGS, so
# `make CFLAGS=-O0` keeps -Wall -Werror. Without a .config, the defaults of
# Config.in are used.

VERSION := 0.1.0

O ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config
KCONFIG_CONF ?= kconfig-conf
KCONFIG_MCONF ?= kconfig-mconf
# The configuration to build from (kbuild's name); Config.in's defaults when missing.
KCONFIG_CONFIG ?= .config
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

# The static build is the release binary, for minimal images: small before
# fast (-Os; prepbox's time is the kernel's), and no unwind tables, which C
# that never unwinds does not use. `make bench` reports the size.
RELEASE_CFLAGS := -Os -fno-asynchronous-unwind-tables
ifeq ($(STATIC),1)
CFLAGS ?= $(RELEASE_CFLAGS)
else
CFLAGS ?= -O2 -g
endif
PB_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -ffunction-sections -fdata-sections
PB_CPPFLAGS := -D_GNU_SOURCE -DPREPBOX_VERSION='"$(VERSION)"' -I$(O)/generated -Ilibcommon \
	-Iapplets
PB_LDFLAGS := -Wl,--gc-sections

# The static release build: musl-gcc, -static, against musl builds of cJSON
# (and libmnl, when its source can be had) that scripts/build-musl-deps.sh
# makes in $(MUSL_PREFIX), and only the kernel's linux/ asm/ asm-generic/
# headers added to musl's include path.
MUSL_PREFIX ?= build/musl
ifeq ($(STATIC),1)
CC := musl-gcc
PB_CPPFLAGS += -isystem $(MUSL_PREFIX)/kinc -I$(MUSL_PREFIX)/include
PB_LDFLAGS += -static -L$(MUSL_PREFIX)/lib
# One read-only segment for code and constants: no page of padding between them.
PB_LDFLAGS += -Wl,-z,noseparate-code
LIBS_CJSON := -lcjson
LIBS_MNL := -lmnl
else
LIBS_CJSON = $(shell $(PKG_CONFIG) --libs libcjson)
LIBS_MNL = $(shell $(PKG_CONFIG) --libs libmnl)
PB_CPPFLAGS += $(shell $(PKG_CONFIG) --cflags libcjson libmnl 2>/dev/null)
endif

# Sanitizer builds set SANITIZE=address,undefined (see `make check`).
ifneq ($(SANITIZE),)
PB_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
PB_LDFLAGS += -fsanitize=$(SANITIZE)
endif
# Test builds can fail the N-th action (PREPBOX_FAIL_AT=N); release builds cannot.
ifeq ($(FAULT_INJECTION),1)
PB_CPPFLAGS += -DPREPBOX_FAULT_INJECTION=1
endif

# Quiet rules (kbuild style); make V=1 shows the commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

ALL_CFLAGS = $(CPPFLAGS) $(PB_CPPFLAGS) $(PB_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(PB_LDFLAGS) $(LDFLAGS)

NOCONFIG_GOALS := defconfig menuconfig oldconfig olddefconfig clean distclean help
ifeq ($(MAKECMDGOALS),)
NEED_CONFIG := 1
else ifneq ($(filter-out $(NOCONFIG_GOALS),$(MAKECMDGOALS)),)
NEED_CONFIG := 1
endif

.PHONY: all static check unit demo bench defconfig menuconfig oldconfig \
	olddefconfig install clean distclean help deps fuzz fuzz-targets
.DEFAULT_GOAL := all

# ---- configuration ---------------------------------------------------------

defconfig:
	KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(KCONFIG_CONF) --alldefconfig Config.in
menuconfig:
	KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(KCONFIG_MCONF) Config.in
oldconfig:
	KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(KCONFIG_CONF) --oldconfig Config.in
olddefconfig:
	KCONFIG_CONFIG=$(KCONFIG_CONFIG) $(KCONFIG_CONF) --olddefconfig Config.in

# Each output tree has its own .config: the top-level one brought up to date
# with Config.in, or Config.in's defaults; the static tree drops prep-link
# when no musl libmnl could be built.
$(O)/.config: Config.in $(wildcard $(KCONFIG_CONFIG)) $(if $(filter 1,$(STATIC)),$(wildcard $(MUSL_PREFIX)/lib/libmnl.a))
	@mkdir -p $(@D)
	@if [ -f $(KCONFIG_CONFIG) ]; then cp $(KCONFIG_CONFIG) $@; else rm -f $@; fi
	@if [ -f $@ ]; then KCONFIG_CONFIG=$@ $(KCONFIG_CONF) --olddefconfig Config.in >/dev/null; \
	else KCONFIG_CONFIG=$@ $(KCONFIG_CONF) --alldefconfig Config.in >/dev/null; fi
	@if [ "$(STATIC)" = 1 ] && [ ! -f $(MUSL_PREFIX)/lib/libmnl.a ] && \
		grep -q '^CONFIG_PREP_LINK=y' $@; then \
		echo "note: no musl libmnl in $(MUSL_PREFIX): static build without prep-link" >&2; \
		sed -i 's/^CONFIG_PREP_LINK=y/# CONFIG_PREP_LINK is not set/' $@; \
		KCONFIG_CONFIG=$@ $(KCONFIG_CONF) --olddefconfig Config.in >/dev/null; fi
	@rm -f $@.old

$(O)/generated/autoconf.h $(O)/config.mk: $(O)/.config scripts/gen-config-h.sh
	@mkdir -p $(O)/generated
	@scripts/gen-config-h.sh $< $(O)/generated/autoconf.h $(O)/config.mk

ifdef NEED_CONFIG
include $(O)/config.mk
endif

# ---- sources ---------------------------------------------------------------

# One file per applet, kept when its symbol is on (kbuild's obj-y idiom).
applet-y := main
applet-$(CONFIG_PREP_MOUNT) += prep_mount
applet-$(CONFIG_PREP_CGROUP) += prep_cgroup
applet-$(CONFIG_PREP_LINK) += prep_link
applet-$(CONFIG_PREP_BINDNS) += prep_bindns
applet-$(CONFIG_PREP_CLEANUP) += prep_cleanup
applet-$(CONFIG_PREP_ALL) += prep_all

# libcommon: everything, except the netlink code (the only libmnl user)
# without prep-link.
NETLINK_SRCS := libcommon/nl.c libcommon/nlmsg.c libcommon/link.c libcommon/linkundo.c
LIBCOMMON_SRCS := $(filter-out $(if $(CONFIG_PREP_LINK),,$(NETLINK_SRCS)), \
	$(wildcard libcommon/*.c))
APPLET_SRCS := $(patsubst %,applets/%.c,$(applet-y))
LIBS := $(LIBS_CJSON) $(if $(CONFIG_PREP_LINK),$(LIBS_MNL))

LIBCOMMON_OBJS := $(patsubst %.c,$(O)/%.o,$(LIBCOMMON_SRCS))
APPLET_OBJS := $(patsubst %.c,$(O)/%.o,$(APPLET_SRCS))

all: $(O)/prepbox

$(O)/%.o: %.c $(O)/generated/autoconf.h
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/libcommon.a: $(LIBCOMMON_OBJS)
	@rm -f $@
	$(quiet) AR $@
	$(Q)$(AR) rcs $@ $^

$(O)/prepbox: $(APPLET_OBJS) $(O)/libcommon.a
	$(quiet) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(APPLET_OBJS) $(O)/libcommon.a $(LIBS)

-include $(wildcard $(O)/libcommon/*.d $(O)/applets/*.d $(O)/tests/unit/*.d $(O)/tests/fuzz/*.d)

# ---- static release build ---------------------------------------------------

static:
	scripts/build-musl-deps.sh $(MUSL_PREFIX)
	$(MAKE) O=build/static STATIC=1 build/static/prepbox
	@if [ -f $(MUSL_PREFIX)/lib/libmnl.a ]; then \
		scripts/relink-kit.sh build/static $(MUSL_PREFIX); fi

# ---- tests -------------------------------------------------------------------

# One cmocka program per libcommon module: tests/unit/test_<module>.c, linked
# against libcommon.a. Link-time wraps (-Wl,--wrap=sym) reach failure paths;
# a test lists them in a "WRAP: sym sym" comment line.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRCS))
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

$(O)/tests/unit/%: tests/unit/%.c $(O)/libcommon.a $(O)/generated/autoconf.h
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -MMD -MP $(ALL_LDFLAGS) \
		$$(sed -n 's/^.*WRAP: *//p' $< | tr ' ' '\n' | sed '/^$$/d; s/^/-Wl,--wrap=/') \
		-o $@ $< $(O)/libcommon.a $(LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS)

# tests/fuzz/fuzz_<x>.c: libFuzzer targets (tests/fuzz/README.md). `make fuzz`
# builds them in build/fuzz with clang -fsanitize=fuzzer,address,undefined and
# runs each for FUZZ_SECONDS, one process, from its seed corpus
# tests/fuzz/corpus/<x> (what it finds goes to build/fuzz/corpus/<x>, crashes
# to build/fuzz/crashes/). In other trees the targets are linked with
# tests/fuzz/standalone.c instead, which runs each input given once: `make
# check` runs the sanitizer tree's over the seed corpus.
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(O)/tests/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
# libFuzzer options added to -max_len=12288 -timeout=10 -print_final_stats=1
FUZZ_ARGS ?=
ifeq ($(LIBFUZZER),1)
FUZZ_MAIN :=
FUZZ_LDFLAGS := -fsanitize=fuzzer
else
FUZZ_MAIN := $(O)/tests/fuzz/standalone.o
endif

$(O)/tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_MAIN) $(O)/libcommon.a $(O)/generated/autoconf.h
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -MMD -MP $(ALL_LDFLAGS) $(FUZZ_LDFLAGS) \
		-o $@ $< $(FUZZ_MAIN) $(O)/libcommon.a $(LIBS)

fuzz-targets: $(FUZZ_BINS)
.PRECIOUS: $(O)/tests/fuzz/standalone.o

fuzz:
	scripts/install-deps.sh fuzz
	$(MAKE) O=build/fuzz CC=$(FUZZ_CC) SANITIZE=fuzzer-no-link,address,undefined \
		LIBFUZZER=1 fuzz-targets
	@for t in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes || exit; \
		echo "fuzz: $$t, $(FUZZ_SECONDS) s"; \
		build/fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=12288 \
			-timeout=10 -print_final_stats=1 $(FUZZ_ARGS) \
			-dict=tests/fuzz/$$t.dict -artifact_prefix=build/fuzz/crashes/$$t- \
			build/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit; \
	done

deps:
	scripts/install-deps.sh check static e2e

# make check: installs what is missing; builds the development binary and its
# unit tests, the static binary, and an ASan/UBSan build with fault injection
# (PREPBOX_FAIL_AT); runs the unit and integration suites against each, the
# unit tests again under valgrind, the fuzz targets over their seed corpus
# (sanitized, without libFuzzer: no fuzzing, see `make fuzz`), the end-to-end
# suite once, and ends with "N passed, N failed[, N skipped]".
check: deps
	$(MAKE) all unit
	$(MAKE) static
	scripts/reference.sh build/seedprep
	$(MAKE) O=build/asan SANITIZE=address,undefined FAULT_INJECTION=1 all unit fuzz-targets
	tests/run.sh --unit $(O)/tests/unit --prepbox $(O)/prepbox \
		--static build/static/prepbox --e2e $(O)/prepbox \
		--unit build/asan/tests/unit --sanitized build/asan/prepbox \
		--valgrind $(O)/tests/unit --fuzz build/asan/tests/fuzz

# make demo: the README's first command.
demo:
	scripts/install-deps.sh build e2e
	$(MAKE) all
	scripts/demo.sh $(O)/prepbox

# make bench: prepbox against the commands it replaces (tests/bench/bench.sh),
# in throwaway namespaces; a table on standard output and in $(O)/bench.txt.
# It measures and fails nothing on timing. The size prep-link would add to
# the static binary (which has none without a musl libmnl) is estimated from
# a dynamic tree built with the release flags.
bench:
	scripts/install-deps.sh bench
	$(MAKE) all
	$(MAKE) static
	$(MAKE) O=$(O)/bench-release CFLAGS="$(RELEASE_CFLAGS)" all
	$(MAKE) $(O)/tests/bench/timeit
	tests/bench/bench.sh --prepbox $(O)/prepbox --timeit $(O)/tests/bench/timeit \
		--static build/static/prepbox --objs $(O)/bench-release \
		--out $(O)/bench.txt --log $(O)/bench.log

$(O)/tests/bench/timeit: tests/bench/timeit.c
	@mkdir -p $(@D)
	$(quiet) CC $@
	$(Q)$(CC) $(PB_CFLAGS) $(CFLAGS) -o $@ $<

# ---- install -----------------------------------------------------------------

# The binary; for each applet it was built with (its --list), a relative
# link prep-X -> prepbox and the page prep-X.1; and prepbox.1. No owner is
# set, so anyone can install into a DESTDIR of their own.
install: all
	$(quiet) INSTALL "$(DESTDIR)$(BINDIR)"
	$(Q)install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1"
	$(Q)install -m 0755 $(O)/prepbox "$(DESTDIR)$(BINDIR)/prepbox"
	$(Q)applets=$$($(O)/prepbox --list) && \
	for a in $$applets; do ln -sfn prepbox "$(DESTDIR)$(BINDIR)/$$a" || exit; done
	$(quiet) INSTALL "$(DESTDIR)$(MANDIR)/man1"
	$(Q)applets=$$($(O)/prepbox --list) && \
	for p in prepbox $$applets; do \
		install -m 0644 man/$$p.1 "$(DESTDIR)$(MANDIR)/man1/$$p.1" || exit; done

clean:
	rm -rf build

distclean: clean
	rm -f .config .config.old

help:
	@sed -n '3,9p' Makefile | sed 's/^# \{0,1\}//'
