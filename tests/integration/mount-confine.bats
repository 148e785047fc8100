#!/usr/bin/env bats
# prep-mount: relative destinations and mkdir entries stay inside
# BUNDLE/rootfs whatever the image holds ("..", absolute and relative
# symlinks, a symlink as the last component, /proc/self/root), and nothing
# outside the bundle changes. Each symlink points at $WS/outside (or /etc)
# from the host's point of view, so that a lookup that escaped would show.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-mount
	setup_workspace
	R=$BUNDLE/rootfs
	OUT=$WS/outside
	mkdir -p "$OUT/target"
	# a name nobody has in /etc, so that an escape there would show
	NAME=prepbox-confine-test.$$
	[ ! -e "/etc/$NAME" ]
}

teardown() {
	# an escape into the host's /etc would be a bug: clean it up anyway
	rmdir "/etc/$NAME" 2>/dev/null || true
	teardown_workspace
}

# outside: the state of everything but the rootfs: the workspace's tree and
# mounts outside BUNDLE/rootfs, and /etc's names.
outside() {
	(cd "$WS" && find . -path ./bundle/rootfs -prune -o -printf '%y %m %p -> %l\n' | sort)
	mount_table | awk -v r="$R" '$3 != r && index($3, r "/") != 1'
	ls -a /etc
}

# mounted_inside DIR: DIR (a path inside the rootfs) is a mount point.
mounted_inside() {
	mounts_below "$R/$1" | grep -qxF "$R/$1"
}

# eloop: the output ends in strerror(ELOOP) (glibc's or musl's words).
eloop() {
	[[ $output == *": Too many levels of symbolic links" || $output == *": Symbolic link loop" ]]
}

# run_confined: run prep-mount on the config, expecting @status; check that
# nothing outside the rootfs changed.
run_confined() {
	local want=$1 before
	before=$(outside)
	run_prepbox prep-mount "$BUNDLE"
	echo "$output"
	[ "$status" -eq "$want" ]
	[ "$(outside)" = "$before" ]
}

@test "../../x is rootfs/x" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "../../x", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["../../../m/n", "a/../../../../k"]}
	EOF
	run_confined 0
	mounted_inside x
	[ -d "$R/m/n" ] && [ -d "$R/k" ]
}

@test "an absolute symlink rootfs/a -> /etc is rootfs/etc" {
	mkdir -p "$R/etc"
	ln -s /etc "$R/a"
	write_config <<-EOF
	{"mounts": [{"destination": "a", "type": "tmpfs", "source": "t"},
	            {"destination": "a/$NAME", "type": "tmpfs", "source": "t2"}],
	 "mkdir": ["a/$NAME/made", "a/other"]}
	EOF
	run_confined 0
	mounted_inside etc
	mounted_inside "etc/$NAME"
	[ -d "$R/etc/$NAME/made" ] && [ -d "$R/etc/other" ]
	[ -z "$(mounts_below /etc)" ]
	[ ! -e "/etc/$NAME" ]
}

@test "a relative symlink chain climbing out stays inside" {
	mkdir -p "$R/d1/d2" "$R/outside/target"
	# from the host, d1/d2/up is $WS, and up/outside/target is $OUT/target
	ln -s ../../../.. "$R/d1/d2/up"
	ln -s d1/d2/up/outside "$R/l1"
	ln -s ./l1/target "$R/l2"
	[ "$(readlink -f "$R/l2")" = "$OUT/target" ]
	write_config <<-'EOF'
	{"mounts": [{"destination": "l2", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["l1/made", "d1/d2/up/up2/made"]}
	EOF
	run_confined 0
	mounted_inside outside/target
	[ -d "$R/outside/made" ]
	[ -d "$R/up2/made" ]
	[ "$(ls -A "$OUT")" = target ] && [ -z "$(ls -A "$OUT/target")" ]
}

@test "a symlink as the last component: the mount is on its target inside" {
	mkdir -p "$R/target"
	ln -s /target "$R/last"
	ln -s "$OUT/target" "$R/dangling"
	write_config <<-EOF
	{"mounts": [{"destination": "last", "source": "$WS/outside", "options": ["bind", "ro"]}]}
	EOF
	run_confined 0
	mounted_inside target
	has_ro=$(mount_field "$R/target" 6)
	[[ $has_ro == ro,* ]]
	[ -L "$R/last" ]
	# one whose target is missing inside the rootfs is an error, not an escape
	write_config <<-EOF
	{"mounts": [{"destination": "dangling", "type": "tmpfs", "source": "t"}]}
	EOF
	before=$(mount_table)
	run_confined 1
	[[ $output == *".mounts[0] (dangling): "*"No such file or directory"* ]]
	[ "$(mount_table)" = "$before" ]
}

@test "a symlink as the last component is rolled back through its target" {
	mkdir -p "$R/target"
	ln -s /target "$R/last"
	write_config <<-'EOF'
	{"mounts": [{"destination": "last", "type": "tmpfs", "source": "t"},
	            {"destination": "x", "type": "nosuchfs", "source": "n"}]}
	EOF
	before=$(mount_table; tree "$R")
	run_confined 1
	[ "$(mount_table; tree "$R")" = "$before" ]
}

@test "/proc/self/root in the rootfs: plain directories when no proc is there" {
	write_config <<-EOF
	{"mounts": [{"destination": "proc/self/root/$NAME", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["proc/self/root/etc/$NAME"]}
	EOF
	run_confined 0
	mounted_inside "proc/self/root/$NAME"
	[ -d "$R/proc/self/root/etc/$NAME" ]
}

@test "/proc/self/root in the rootfs: the magic link is refused when proc is there" {
	mkdir -p "$R/proc"
	mount -t proc proc "$R/proc"
	ln -s /proc/self/root "$R/root-link"
	write_config <<-EOF
	{"mounts": [{"destination": "proc/self/root/etc/$NAME", "type": "tmpfs", "source": "t"}]}
	EOF
	before=$(mount_table; find "$R" -path "$R/proc" -prune -o -print)
	run_confined 1
	[[ $output == *".mounts[0] (proc/self/root/etc/$NAME): "* ]]
	eloop
	write_config <<-EOF
	{"mounts": [{"destination": "root-link/etc/$NAME", "type": "tmpfs", "source": "t"}]}
	EOF
	run_confined 1
	eloop
	write_config <<-EOF
	{"mkdir": ["root-link/etc/$NAME"]}
	EOF
	run_confined 1
	[[ $output == *".mkdir[0] (root-link/etc/$NAME): "* ]]
	eloop
	[ "$(mount_table; find "$R" -path "$R/proc" -prune -o -print)" = "$before" ]
}

@test "a relative bind source cannot leave the bundle through a symlink" {
	mkdir -p "$R/etc"
	echo inside >"$BUNDLE/marker"
	ln -s / "$R/up"
	ln -s /etc "$BUNDLE/hostetc"
	write_config <<-'EOF'
	{"mounts": [{"destination": "b", "source": "rootfs/up/marker", "options": ["bind", "ro"]},
	            {"destination": "e", "source": "hostetc", "type": "bind"}]}
	EOF
	run_confined 1
	# rootfs/up is the bundle seen from inside it: its marker, not the host's /
	[[ $output == *".mounts[1] (e): bind source: open $BUNDLE/hostetc: No such file or directory"* ]]
	mkdir "$BUNDLE/etc"
	run_confined 0
	[ "$(cat "$R/b")" = inside ]
	[ -z "$(ls -A "$R/e")" ]
}

@test "an absolute destination is trusted and used as given" {
	ln -s "$OUT/target" "$WS/abs-link"
	write_config <<-EOF
	{"mounts": [{"destination": "$WS/abs-link", "type": "tmpfs", "source": "t"}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(mounts_below "$OUT/target")" = "$OUT/target" ]
}
