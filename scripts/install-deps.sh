#!/bin/sh
# Installs, from Debian's packages, what prepbox needs to build and test,
# skipping what is already there. Run as root on Debian or a derivative.
#   scripts/install-deps.sh [build|check|static|e2e|fuzz|bench]...   (default: build)
#     build   the dynamic binary: compiler, make, pkg-config, libmnl, cJSON,
#             the Kconfig tools (kconfig-frontends, without Qt)
#     check   build + cmocka, bats, iproute2, util-linux (unshare, nsenter), strace,
#             valgrind
#     static  build + musl-gcc, the kernel headers, dpkg-dev (apt-get source)
#     e2e     check + runc and a static busybox for a container rootfs
#     bench   static + iproute2, util-linux (unshare), binutils (strip, nm, size)
#     fuzz    build + clang and its libFuzzer runtime (make fuzz)
set -eu

pkgs=""
want() { pkgs="$pkgs $*"; }
for what in "${@:-build}"; do
	case $what in
	build) want gcc make pkg-config libmnl-dev libcjson-dev kconfig-frontends-nox ;;
	check) want gcc make pkg-config libmnl-dev libcjson-dev kconfig-frontends-nox \
		libcmocka-dev bats iproute2 util-linux strace valgrind ;;
	static) want gcc make pkg-config libmnl-dev libcjson-dev kconfig-frontends-nox \
		musl-tools linux-libc-dev dpkg-dev ;;
	e2e) want gcc make pkg-config libmnl-dev libcjson-dev kconfig-frontends-nox \
		libcmocka-dev bats iproute2 util-linux strace runc busybox-static ;;
	fuzz) want gcc make pkg-config libmnl-dev libcjson-dev kconfig-frontends-nox \
		clang libclang-rt-14-dev ;;
	bench) want gcc make pkg-config libmnl-dev libcjson-dev kconfig-frontends-nox \
		musl-tools linux-libc-dev dpkg-dev iproute2 util-linux binutils ;;
	*) echo "install-deps: unknown set '$what' (build, check, static, e2e, fuzz, bench)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $pkgs; do
	case " $missing " in *" $p "*) continue ;; esac
	# kconfig-frontends (with Qt) provides the same tools as -nox
	[ "$p" = kconfig-frontends-nox ] && command -v kconfig-conf >/dev/null && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing; run this script as root to install them" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
