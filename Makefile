# uvfio — GNU Make build. `make` builds the command, the libraries, the
# examples and the tests; `make check`, `make demo`, `make bench`.
# `make SAN=thread|address|undefined` builds a sanitizer variant in build-$(SAN)/.

VERSION     := 0.1.0
SOVERSION   := 0
PREFIX      ?= /usr/local
CC          ?= gcc

ifeq ($(SAN),)
BUILD       ?= build
SANFLAGS    :=
else
BUILD       ?= build-$(SAN)
SANFLAGS    := -fsanitize=$(SAN) -fno-omit-frame-pointer
endif

WARN        := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS      ?= -O2 -g
CFLAGS      += -std=gnu11 $(WARN) -fPIC -fvisibility=hidden $(SANFLAGS)
CPPFLAGS    += -Iinclude
LDFLAGS     += $(SANFLAGS)
LDLIBS      := -lpthread -ldl

# The emulated kernel: everything below the interposer.
LIB_SRCS    := $(wildcard src/vfs/*.c src/core/*.c src/iommufd/*.c \
                          src/pci/*.c src/devices/*.c)
PRELOAD_SRCS := $(wildcard src/interpose/*.c)
LIB_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
PRELOAD_OBJS := $(PRELOAD_SRCS:%.c=$(BUILD)/obj/%.o)

ARCHIVE     := $(BUILD)/libuvfio.a
SONAME      := libuvfio.so.$(SOVERSION)
SHLIB       := $(BUILD)/libuvfio.so.$(VERSION)
PRELOAD     := $(BUILD)/libuvfio-preload.so
TOOL        := $(BUILD)/uvfio
PCFILE      := $(BUILD)/uvfio.pc

EXAMPLES    := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
TEST_SRCS   := $(wildcard tests/uapi/*.c tests/stress/*.c tests/unit/*.c)
TESTS       := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
BENCHES     := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

.PHONY: all check check-real-kernel demo bench install clean tsan
all: $(TOOL) $(SHLIB) $(PRELOAD) $(PCFILE) $(EXAMPLES) $(TESTS) $(BENCHES)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(ARCHIVE): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(SHLIB): $(LIB_OBJS) src/uvfio.sym
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/uvfio.sym \
		-Wl,--no-undefined $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS)
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libuvfio.so

# The preload is only the libc wrappers (src/interpose/preload.sym): the
# emulated kernel lives in libuvfio.so, found next to the preload or in the
# lib directory above it, so device plugins linked against libuvfio.so share
# the one emulated kernel of the process.
$(PRELOAD): $(PRELOAD_OBJS) $(SHLIB) src/interpose/preload.sym
	$(CC) -shared -Wl,--version-script=src/interpose/preload.sym \
		-Wl,--no-undefined -Wl,-rpath,'$$ORIGIN:$$ORIGIN/..' $(LDFLAGS) \
		-o $@ $(PRELOAD_OBJS) -L$(BUILD) -l:$(SONAME) $(LDLIBS)

$(BUILD)/obj/tools/uvfio.o: CPPFLAGS += -DUVFIO_VERSION=\"$(VERSION)\"
$(TOOL): $(BUILD)/obj/tools/uvfio.o $(ARCHIVE)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(PCFILE): uvfio.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< >$@

# Examples use only the Linux uAPI (our definitions of it), no library.
$(BUILD)/examples/%: examples/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# uapi and stress tests speak raw syscalls; unit tests link the archive.
$(BUILD)/tests/uapi/% $(BUILD)/tests/stress/%: CPPFLAGS += -Itests
$(BUILD)/tests/uapi/%: tests/uapi/%.c tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)
$(BUILD)/tests/stress/%: tests/stress/%.c tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)
$(BUILD)/tests/unit/%: tests/unit/%.c tests/harness.h $(ARCHIVE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests -Isrc $(CFLAGS) $(LDFLAGS) -o $@ $< $(ARCHIVE) $(LDLIBS)
# Benchmarks speak raw syscalls and run under the interposer (bench/run.sh).
$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# The stress tests run a second time under ThreadSanitizer (build-thread/).
check: all tsan
	BUILD=$(BUILD) tests/run.sh

# The legacy-path uapi tests against a real kernel, when the workplace's
# reference runner is there (see tests/real-kernel.sh).
check-real-kernel:
	BUILD=$(BUILD) tests/real-kernel.sh

tsan:
ifeq ($(SAN),)
	$(MAKE) SAN=thread build-thread/libuvfio-preload.so \
		$(patsubst tests/%.c,build-thread/tests/%,$(wildcard tests/stress/*.c))
endif

demo: $(TOOL) $(PRELOAD) $(BUILD)/examples/cdev_lifecycle
	$(TOOL) run -- $(BUILD)/examples/cdev_lifecycle

bench: all
	BUILD=$(BUILD) bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/uvfio \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/uvfio/uapi
	install -m 755 $(TOOL) $(DESTDIR)$(PREFIX)/bin/uvfio
	install -m 755 $(SHLIB) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libuvfio.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libuvfio.so
	install -m 755 $(PRELOAD) $(DESTDIR)$(PREFIX)/lib/uvfio/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' uvfio.pc.in \
		>$(DESTDIR)$(PREFIX)/lib/pkgconfig/uvfio.pc
	install -m 644 include/uvfio/*.h $(DESTDIR)$(PREFIX)/include/uvfio/
	install -m 644 include/uvfio/uapi/*.h $(DESTDIR)$(PREFIX)/include/uvfio/uapi/

clean:
	rm -rf build build-thread build-address build-undefined

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Device-model plugins (examples/plugins/): shared objects that link
# libuvfio.so, loaded with "--device plugin=PATH.so[,ARGS]".
PLUGINS     := $(patsubst examples/plugins/%.c,$(BUILD)/examples/plugins/%.so,$(wildcard examples/plugins/*.c))
all: $(PLUGINS)
$(BUILD)/examples/plugins/%.so: examples/plugins/%.c include/uvfio/device.h $(SHLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -shared $(LDFLAGS) -o $@ $< \
		-Wl,-rpath,'$$ORIGIN/../..' -L$(BUILD) -l:$(SONAME)

# bench/ioas*.c link the archive and read src/ headers (the IOAS engine has
# no syscall of its own); bench/run.sh runs them without the interposer.
$(BUILD)/bench/ioas%: bench/ioas%.c $(ARCHIVE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Isrc $(CFLAGS) $(LDFLAGS) -o $@ $< $(ARCHIVE) $(LDLIBS)
