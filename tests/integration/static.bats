#!/usr/bin/env bats
# The static release binary: no interpreter, no shared library, and it works
# in an otherwise empty chroot (no libc, no /proc, no /dev). tests/run.sh runs
# this file only against the binary of `make static`.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	setup_workspace
	ROOT=$WS/chroot
	mkdir -p "$ROOT"
	cp "$PREPBOX" "$ROOT/prepbox"
}

teardown() {
	teardown_workspace
}

@test "the binary is statically linked: no program interpreter, no dynamic section" {
	run readelf -l "$PREPBOX"
	[ "$status" -eq 0 ]
	[[ "$output" != *INTERP* ]]
	run readelf -d "$PREPBOX"
	[[ "$output" == *"There is no dynamic section"* ]]
}

@test "--list runs in an empty chroot" {
	[ "$(ls -A "$ROOT")" = prepbox ]
	run chroot "$ROOT" /prepbox --list
	[ "$status" -eq 0 ]
	[[ "$output" == *prep-cgroup* ]]
	[ "$output" = "$("$PREPBOX" --list)" ]
}

@test "prep-cgroup runs in an empty chroot, on a v1 layout and on cgroup2" {
	needs_applet prep-cgroup
	echo '{"cgroups": ["svc/inner"]}' >"$ROOT/runtime.json"
	# A v1 layout: a tmpfs whose hierarchies are scratch cgroups of the test's own.
	cgroup2_setup
	mkdir "$ROOT/v1"
	mount -t tmpfs v1 "$ROOT/v1"
	for h in memory pids; do
		mkdir "$CGROOT/h-$h" "$ROOT/v1/$h"
		mount --bind "$CGROOT/h-$h" "$ROOT/v1/$h"
	done
	run chroot "$ROOT" /prepbox prep-cgroup --cgroup-root /v1 -c /runtime.json
	[ "$status" -eq 0 ]
	[ -d "$ROOT/v1/memory/svc/inner" ]
	[ -d "$ROOT/v1/pids/svc/inner" ]

	mkdir "$CGROOT/v2"
	CGROOT=$CGROOT/v2
	mkdir "$ROOT/cg2"
	mount --bind "$CGROOT" "$ROOT/cg2"
	run chroot "$ROOT" /prepbox prep-cgroup -v --cgroup-root /cg2 -c /runtime.json
	[ "$status" -eq 0 ]
	[ "$output" = "prep-cgroup: mkdir /cg2/svc
prep-cgroup: mkdir /cg2/svc/inner" ]
	[ -f "$CGROOT/svc/inner/cgroup.procs" ]
	umount "$ROOT/cg2"
}

@test "a config error in the chroot is exit 2 with the JSON path" {
	echo '{"cgroups": [42]}' >"$ROOT/runtime.json"
	run chroot "$ROOT" /prepbox prep-cgroup --cgroup-root / -c /runtime.json
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: /runtime.json: .cgroups[0]: "* ]]
}

@test "prep-mount in a chroot without /proc: exit 2 before anything is done, saying so" {
	needs_applet prep-mount
	mkdir -p "$ROOT/b/rootfs"
	echo '{"mounts": [{"destination": "run", "type": "tmpfs", "source": "t"}]}' >"$ROOT/b/runtime.json"
	for n in -n -v; do
		run chroot "$ROOT" /prepbox prep-mount $n /b
		[ "$status" -eq 2 ]
		[[ "$output" == "prep-mount: mounts are made through /proc/self/fd, which is not there: mount proc first: "* ]]
		[ ! -e "$ROOT/b/rootfs/run" ]
	done
	# with /proc, it works
	mkdir "$ROOT/proc"
	mount -t proc proc "$ROOT/proc"
	run chroot "$ROOT" /prepbox prep-mount /b
	umount "$ROOT/proc"
	[ "$status" -eq 0 ]
	grep -q " $ROOT/b/rootfs/run " /proc/self/mountinfo
	umount "$ROOT/b/rootfs/run"
}
