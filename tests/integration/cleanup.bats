#!/usr/bin/env bats
# prep-cleanup: every mount at or below BUNDLE/rootfs goes, deepest first;
# a sibling rootfs.old stays; a second run is a no-op; the kernel's
# mountinfo is the judge.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-cleanup
	setup_workspace
}

teardown() {
	teardown_workspace
}

# A rootfs that is itself a mount, with mounts stacked and nested inside it.
populate() {
	R=$BUNDLE/rootfs
	mount -t tmpfs rootfs "$R"
	mkdir -p "$R/a" "$R/c" "$BUNDLE/rootfs.old"
	mount -t tmpfs a "$R/a"
	mkdir -p "$R/a/b"
	mount -t tmpfs b "$R/a/b"
	mount -t tmpfs c1 "$R/c"
	mount -t tmpfs c2 "$R/c" # stacked on c1
	mount -t tmpfs old "$BUNDLE/rootfs.old"
}

@test "unmounts everything at and below rootfs; rootfs.old stays" {
	populate
	[ "$(mounts_below "$BUNDLE/rootfs" | wc -l)" -eq 5 ]
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$(mounts_below "$BUNDLE/rootfs")" ]
	[ "$(mounts_below "$BUNDLE/rootfs.old")" = "$BUNDLE/rootfs.old" ]
}

@test "deepest first, and on one mount point the latest first (-v)" {
	populate
	run --separate-stderr "$PREPBOX" prep-cleanup -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-cleanup: mount --make-rprivate $BUNDLE/rootfs
prep-cleanup: umount $BUNDLE/rootfs/a/b
prep-cleanup: umount $BUNDLE/rootfs/c
prep-cleanup: umount $BUNDLE/rootfs/c
prep-cleanup: umount $BUNDLE/rootfs/a
prep-cleanup: umount $BUNDLE/rootfs" ]
}

@test "a mount hidden by a later mount over its parent is unmounted in the same run" {
	R=$BUNDLE/rootfs
	mkdir -p "$R/a/b"
	mount -t tmpfs inner "$R/a/b"
	mount -t tmpfs outer "$R/a" # hides a/b until it is gone
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$(mounts_below "$BUNDLE/rootfs")" ]
}

@test "a second run is a no-op" {
	populate
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	before=$(mount_table)
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(mount_table)" = "$before" ]
}

@test "nothing mounted, or no rootfs at all, is not an error" {
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	rmdir "$BUNDLE/rootfs"
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
}

@test "mount points with spaces and newlines (escaped in mountinfo) are unmounted" {
	R=$BUNDLE/rootfs
	mkdir -p "$R/with space" "$R/new
line" "$R/back\\slash"
	mount -t tmpfs s "$R/with space"
	mount -t tmpfs n "$R/new
line"
	mount -t tmpfs b "$R/back\\slash"
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$(mounts_below "$BUNDLE/rootfs")" ]
}

@test "a relative BUNDLE, a trailing slash and a symlinked bundle path work" {
	populate
	ln -s "$BUNDLE" "$WS/link"
	cd "$WS"
	run_prepbox prep-cleanup link/
	[ "$status" -eq 0 ]
	[ -z "$(mounts_below "$BUNDLE/rootfs")" ]
}

@test "mounts reached through a symlink outside the rootfs are not touched" {
	R=$BUNDLE/rootfs
	mkdir -p "$WS/outside/m" "$R/a/m"
	mount -t tmpfs outside "$WS/outside/m"
	mount -t tmpfs inside "$R/a/m"
	# The container moved its directory and left a symlink out in its place.
	mv "$R/a" "$R/moved"
	ln -s "$WS/outside" "$R/a"
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$(mounts_below "$BUNDLE/rootfs")" ]
	[ "$(mounts_below "$WS/outside")" = "$WS/outside/m" ]
}

@test "a busy mount is reported, the others are still unmounted, exit 1" {
	populate
	mkdir "$R/a/busy"
	mount -t tmpfs busy "$R/a/busy"
	(cd "$R/a/busy" && exec sleep 1000) &
	STARTED_PIDS+=($!)
	sleep 0.2
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 1 ]
	# glibc says "Device or resource busy", musl "Resource busy".
	[[ "$output" == *"prep-cleanup: warning: umount $BUNDLE/rootfs/a/busy: "*"esource busy"* ]]
	[[ "$output" == *"mounts left"* ]]
	# Its parents are busy too (mounts below); the rest are gone.
	[ "$(mounts_below "$BUNDLE/rootfs" | tr '\n' ' ')" = "$BUNDLE/rootfs $BUNDLE/rootfs/a $BUNDLE/rootfs/a/busy " ]
}

@test "--dry-run prints the umounts and unmounts nothing" {
	populate
	before=$(mount_table)
	run --separate-stderr "$PREPBOX" prep-cleanup -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "mount --make-rprivate $BUNDLE/rootfs
umount $BUNDLE/rootfs/a/b
umount $BUNDLE/rootfs/c
umount $BUNDLE/rootfs/c
umount $BUNDLE/rootfs/a
umount $BUNDLE/rootfs" ]
	[ "$(mount_table)" = "$before" ]
}

@test "-n plans a mount hidden by a later one over its parent after that one, as the run does" {
	R=$BUNDLE/rootfs
	mkdir -p "$R/a/b"
	mount -t tmpfs inner "$R/a/b"
	mount -t tmpfs outer "$R/a" # hides a/b until it is gone
	before=$(mount_table)
	run --separate-stderr "$PREPBOX" prep-cleanup -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "mount --make-rprivate $R/a
umount $R/a
mount --make-rprivate $R/a/b
umount $R/a/b" ]
	[ "$(mount_table)" = "$before" ]
	plan=$output
	run --separate-stderr "$PREPBOX" prep-cleanup -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "$(sed 's/^/prep-cleanup: /' <<<"$plan")" ]
	[ -z "$(mounts_below "$R")" ]
}

# shared_host: HOST, a directory of the workspace made a shared mount (a bind
# onto itself), standing for a host mount with peers (/ on systemd), with a
# sub-mount HOST/x that holds a file.
shared_host() {
	HOST=$WS/host
	mkdir -p "$HOST"
	mount --bind "$HOST" "$HOST"
	mount --make-shared "$HOST"
	mkdir "$HOST/x"
	mount -t tmpfs hostx "$HOST/x"
	echo precious >"$HOST/x/f"
}

# host_intact: HOST and its sub-mount are there, as shared_host made them.
host_intact() {
	[ "$(mounts_below "$HOST" | tr '\n' ' ')" = "$HOST $HOST/x " ]
	[ "$(cat "$HOST/x/f")" = precious ]
}

@test "an rbind of a shared directory: made private first, the host's sub-mount stays" {
	R=$BUNDLE/rootfs
	shared_host
	mkdir "$R/hostlog"
	# the copy of x is a peer of the host's x: unmounting it would unmount both
	mount --rbind "$HOST" "$R/hostlog"
	run --separate-stderr "$PREPBOX" prep-cleanup -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-cleanup: mount --make-rprivate $R/hostlog
prep-cleanup: umount $R/hostlog/x
prep-cleanup: umount $R/hostlog" ]
	[ -z "$(mounts_below "$R")" ]
	host_intact
	# the rootfs itself such an rbind: its own mount is the top
	mount --rbind "$HOST" "$R"
	run --separate-stderr "$PREPBOX" prep-cleanup -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-cleanup: mount --make-rprivate $R
prep-cleanup: umount $R/x
prep-cleanup: umount $R" ]
	[ -z "$(mounts_below "$R")" ]
	host_intact
}

@test "a mount stacked on an rbind of a shared directory: the rbind is made private once in reach" {
	R=$BUNDLE/rootfs
	shared_host
	mkdir "$R/hostlog"
	mount --rbind "$HOST" "$R/hostlog"
	# propagation stacks a copy of it on HOST as well: the run's own, gone with it
	mount -t tmpfs over "$R/hostlog"
	plan="mount --make-rprivate $R/hostlog
umount $R/hostlog
mount --make-rprivate $R/hostlog
umount $R/hostlog/x
umount $R/hostlog"
	run --separate-stderr "$PREPBOX" prep-cleanup -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "$plan" ]
	run --separate-stderr "$PREPBOX" prep-cleanup -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "$(sed 's/^/prep-cleanup: /' <<<"$plan")" ]
	[ -z "$(mounts_below "$R")" ]
	host_intact
}

@test "two rbinds of a shared directory and a mount inside one: no false failure" {
	R=$BUNDLE/rootfs
	shared_host
	mkdir -p "$R/a" "$R/b" "$HOST/y"
	mount --rbind "$HOST" "$R/a"
	mount --rbind "$HOST" "$R/b"
	# appears in b and on HOST too, through the peer group
	mount -t tmpfs y "$R/a/y"
	[ "$(mounts_below "$R" | wc -l)" -eq 6 ]
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$(mounts_below "$R")" ]
	# HOST keeps its x, and the copy of y that propagation put there: below the
	# rootfs only is prep-cleanup's
	[ "$(mounts_below "$HOST" | tr '\n' ' ')" = "$HOST $HOST/x $HOST/y " ]
	[ "$(cat "$HOST/x/f")" = precious ]
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a failure at any action (fault injection) never unmounts the host's sub-mount" {
	needs_applet prep-mount
	R=$BUNDLE/rootfs
	echo '{"mkdir": ["probe"]}' >"$BUNDLE/runtime.json"
	run env PREPBOX_FAIL_AT=1 "$PREPBOX" prep-mount "$BUNDLE"
	[[ $output == *"injected fault at action 1"* ]] || skip "$PREPBOX is not a fault-injection build"
	shared_host
	mkdir "$R/hostlog"
	# 1 is the make-rprivate: a failed one is tried again once nothing else moves
	for n in 1 2 3 4; do
		mount --rbind "$HOST" "$R/hostlog"
		run env PREPBOX_FAIL_AT=$n "$PREPBOX" prep-cleanup -v "$BUNDLE"
		echo "action $n: $output"
		[ "$status" -eq 0 ]
		[ -z "$(mounts_below "$R")" ]
		host_intact
	done
}

@test "a missing BUNDLE is a usage error; BUNDLE is required" {
	run_prepbox prep-cleanup "$WS/nope"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-cleanup: bundle $WS/nope: No such file or directory" ]
	run_prepbox prep-cleanup
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cleanup: BUNDLE is missing"* ]]
	run_prepbox prep-cleanup -c x "$BUNDLE"
	[ "$status" -eq 2 ]
}
