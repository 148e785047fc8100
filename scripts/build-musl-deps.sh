#!/bin/sh
# Builds the libraries the static prepbox links, with musl-gcc, from the
# distribution's source packages (apt-get source), into PREFIX:
#   PREFIX/kinc      the kernel's linux/ asm/ asm-generic/ headers, and nothing
#                    else of /usr/include, for musl-gcc
#   PREFIX/include   cJSON.h (and libmnl/ when built)
#   PREFIX/lib       libcjson.a (and libmnl.a when its source could be had)
# libmnl's source is optional: without it, the static build leaves prep-link
# out (DESIGN.md section 5). Nothing is rebuilt that is already there.
#   build-musl-deps.sh [PREFIX]     (default build/musl)
set -eu

prefix=${1:-build/musl}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
src=$prefix/src
mkdir -p "$prefix/include" "$prefix/lib" "$prefix/kinc" "$src"

command -v musl-gcc >/dev/null || {
	echo "build-musl-deps: musl-gcc is missing (scripts/install-deps.sh static)" >&2
	exit 1
}

# musl-gcc sees only musl's headers: add the kernel's uapi headers alone.
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
for d in linux asm-generic; do
	[ -e "$prefix/kinc/$d" ] || ln -s "/usr/include/$d" "$prefix/kinc/$d"
done
if [ ! -e "$prefix/kinc/asm" ]; then
	if [ -d "/usr/include/$multiarch/asm" ]; then
		ln -s "/usr/include/$multiarch/asm" "$prefix/kinc/asm"
	else
		ln -s /usr/include/asm "$prefix/kinc/asm"
	fi
fi
[ -f "$prefix/kinc/linux/netlink.h" ] || {
	echo "build-musl-deps: no kernel headers in /usr/include/linux (linux-libc-dev)" >&2
	exit 1
}
musl_cc="musl-gcc -isystem $prefix/kinc"

# apt-get source needs deb-src entries; add ones mirroring the deb entries
# of the system's deb822 sources when there are none.
have_sources() {
	apt-get indextargets --format '$(IDENTIFIER)' 2>/dev/null | grep -qx Sources
}
ensure_sources() {
	have_sources && return 0
	[ "$(id -u)" = 0 ] || return 1
	added=/etc/apt/sources.list.d/prepbox-deb-src.sources
	if [ ! -f "$added" ]; then
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] && [ "$f" != "$added" ] || continue
			sed -n '/^Types:.*deb/,$p' "$f" | sed 's/^Types:.*/Types: deb-src/'
			echo
		done >"$added.tmp"
		mv "$added.tmp" "$added"
		if [ -f /etc/apt/sources.list ]; then
			sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list \
				>/etc/apt/sources.list.d/prepbox-deb-src.list
		fi
	fi
	apt-get update -q >/dev/null 2>&1 || true
	have_sources
}

# fetch PACKAGE: unpack its source in $src, print the directory, or fail.
fetch() {
	dir=$(find "$src" -maxdepth 1 -type d -name "$1-[0-9]*" | head -n 1)
	if [ -z "$dir" ]; then
		ensure_sources || return 1
		(cd "$src" && apt-get source -q "$1" >"$src/$1.log" 2>&1) || return 1
		dir=$(find "$src" -maxdepth 1 -type d -name "$1-[0-9]*" | head -n 1)
	fi
	[ -n "$dir" ] && echo "$dir"
}

if [ ! -f "$prefix/lib/libcjson.a" ]; then
	dir=$(fetch cjson) || {
		echo "build-musl-deps: cannot get cJSON's source (apt-get source cjson); see $src/cjson.log" >&2
		exit 1
	}
	# cJSON is one file; its own CMake build is not needed for a static archive.
	$musl_cc -O2 -fPIC -ffunction-sections -fdata-sections -c "$dir/cJSON.c" -o "$src/cJSON.o"
	ar rcs "$prefix/lib/libcjson.a" "$src/cJSON.o"
	cp "$dir/cJSON.h" "$prefix/include/cJSON.h"
	echo "build-musl-deps: built $prefix/lib/libcjson.a from $(basename "$dir")" >&2
fi

if [ ! -f "$prefix/lib/libmnl.a" ] && [ ! -f "$src/libmnl.unavailable" ]; then
	if dir=$(fetch libmnl); then
		(cd "$dir" && { [ -x configure ] || autoreconf -fi; } &&
			./configure -q CC="$musl_cc" CFLAGS="-O2 -ffunction-sections -fdata-sections" \
				--enable-static --disable-shared --prefix="$prefix" &&
			make -s && make -s install) >"$src/libmnl.build.log" 2>&1 || {
			echo "build-musl-deps: libmnl failed to build; see $src/libmnl.build.log" >&2
			exit 1
		}
		echo "build-musl-deps: built $prefix/lib/libmnl.a from $(basename "$dir")" >&2
	else
		# Remembered, so every make static does not ask the mirror again.
		: >"$src/libmnl.unavailable"
		echo "build-musl-deps: libmnl's source is not available here (apt-get source libmnl);" \
			"the static binary is built without prep-link" >&2
	fi
fi
