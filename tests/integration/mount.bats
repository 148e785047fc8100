#!/usr/bin/env bats
# prep-mount: the mount sequence (first mount, bind remount, propagation,
# rro), remount, mkdir, dry-run, errors and rollback. The kernel is the judge:
# /proc/self/mountinfo fields, writes failing with EROFS, stat.
# Confinement of relative paths is in mount-confine.bats.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-mount
	setup_workspace
	R=$BUNDLE/rootfs
	SRC=$WS/src
	mkdir -p "$SRC/dir"
	echo source >"$SRC/file"
}

teardown() {
	teardown_workspace
}

# opts DIR: the per-mount options (mountinfo field 6) of the top mount on DIR.
opts() {
	mount_field "$1" 6
}

# optional DIR: the optional fields (shared:N, master:N...) of the top mount on DIR.
optional() {
	awk -v d="$1" '$5 == d { s = ""; for (i = 7; $i != "-"; i++) s = s $i " "; f = s }
		END { print f }' /proc/self/mountinfo
}

# super DIR: the superblock options (the last mountinfo field) of the top mount on DIR.
super() {
	awk -v d="$1" '$5 == d { f = $NF } END { print f }' /proc/self/mountinfo
}

# fstype DIR, source DIR: the filesystem type and source of the top mount on DIR.
fstype() {
	awk -v d="$1" '$5 == d { for (i = 7; $i != "-"; i++); f = $(i + 1) } END { print f }' \
		/proc/self/mountinfo
}
source_of() {
	awk -v d="$1" '$5 == d { for (i = 7; $i != "-"; i++); f = $(i + 2) } END { print f }' \
		/proc/self/mountinfo
}

# has LIST WORD: the comma-separated LIST has WORD.
has() {
	[[ ,$1, == *,"$2",* ]]
}

# erofs FILE: creating FILE fails because the file system is read-only.
erofs() {
	run touch "$1"
	[ "$status" -ne 0 ]
	[[ $output == *"Read-only file system"* ]]
}

# writable FILE: creating FILE works.
writable() {
	touch "$1" && rm "$1"
}

# snapshot: the kernel's and the file system's state, to compare before and after.
snapshot() {
	mount_table
	tree "$WS"
}

@test "tmpfs: size= and mode= reach the filesystem, nosuid the mount" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "run/x", "type": "tmpfs", "source": "tmpfs",
	             "options": ["nosuid", "size=1m", "mode=0700", "defaults"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(fstype "$R/run/x")" = tmpfs ]
	has "$(opts "$R/run/x")" nosuid
	has "$(super "$R/run/x")" size=1024k
	has "$(super "$R/run/x")" mode=700
	[ "$(stat -c %a "$R/run/x")" = 700 ]
	# the parent was made 0755
	[ "$(stat -c %a "$R/run")" = 755 ]
}

@test "[bind, ro] is read-only" {
	write_config <<-EOF
	{"mounts": [{"destination": "b", "source": "$SRC", "options": ["bind", "ro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	has "$(opts "$R/b")" ro
	[ "$(mount_field "$R/b" 4)" = /src ]
	erofs "$R/b/new"
	writable "$SRC/new"
}

@test "[rbind, ro, nosuid]: the top is ro,nosuid, the sub-mount comes along" {
	mount -t tmpfs sub "$SRC/dir"
	write_config <<-EOF
	{"mounts": [{"destination": "rb", "source": "$SRC", "options": ["rbind", "ro", "nosuid"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	has "$(opts "$R/rb")" ro
	has "$(opts "$R/rb")" nosuid
	[ "$(source_of "$R/rb/dir")" = sub ]
	erofs "$R/rb/new"
	# ro on an rbind is for the top only, as mount(8)
	writable "$R/rb/dir/new"
}

@test "[rbind, rro]: the sub-mount is read-only too" {
	mount -t tmpfs sub "$SRC/dir"
	write_config <<-EOF
	{"mounts": [{"destination": "rr", "source": "$SRC", "options": ["rbind", "rro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	has "$(opts "$R/rr")" ro
	has "$(opts "$R/rr/dir")" ro
	erofs "$R/rr/new"
	erofs "$R/rr/dir/new"
	writable "$SRC/dir/new"
}

@test "[rshared] on a tmpfs: a peer group of its own" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "s", "type": "tmpfs", "source": "tmpfs", "options": ["rshared"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[[ $(optional "$R/s") == *shared:* ]]
}

@test "[shared, nosuid]: both, in separate calls" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "s", "type": "tmpfs", "source": "tmpfs",
	             "options": ["shared", "nosuid"]}]}
	EOF
	run --separate-stderr "$PREPBOX" prep-mount -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[[ $(optional "$R/s") == *shared:* ]]
	has "$(opts "$R/s")" nosuid
	[ "$stderr" = "prep-mount: mkdir $R/s
prep-mount: mount -t tmpfs -o nosuid tmpfs $R/s
prep-mount: mount --make-shared $R/s" ]
}

# shared_source: SRC as a shared mount; SRCGROUP its peer group number.
shared_source() {
	mount -t tmpfs src "$SRC"
	mount --make-shared "$SRC"
	SRCGROUP=$(optional "$SRC" | sed -n 's/.*shared:\([0-9]*\).*/\1/p')
	[ -n "$SRCGROUP" ]
}

@test "[bind, private] of a shared source: no peer group, no master" {
	shared_source
	write_config <<-EOF
	{"mounts": [{"destination": "p", "source": "$SRC", "options": ["bind", "private"]},
	            {"destination": "q", "source": "$SRC", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$(optional "$R/p")" ]
	# without it, the bind is a peer of its source
	[[ $(optional "$R/q") == *"shared:$SRCGROUP "* ]]
}

@test "[bind, slave] of a shared source: master is the source's group" {
	shared_source
	write_config <<-EOF
	{"mounts": [{"destination": "sl", "source": "$SRC", "options": ["bind", "slave"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(optional "$R/sl")" = "master:$SRCGROUP " ]
	# and it really receives what is mounted in the source
	mkdir "$SRC/later"
	mount -t tmpfs later "$SRC/later"
	[ "$(source_of "$R/sl/later")" = later ]
}

@test "propagation options alone change the mount already there (mount --make-*)" {
	mkdir -p "$R/m"
	mount -t tmpfs m "$R/m"
	[ -z "$(optional "$R/m")" ]
	write_config <<-'EOF'
	{"mounts": [{"destination": "m", "options": ["shared"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(mounts_below "$R/m" | wc -l)" -eq 1 ]
	[[ $(optional "$R/m") == *shared:* ]]
}

@test "overlay: upperdir and workdir are made, an escaped comma undone" {
	mkdir -p "$WS/lower"
	echo low >"$WS/lower/l"
	cat >"$BUNDLE/runtime.json" <<-EOF
	{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay",
	  "options": ["lowerdir=$WS/lower", "upperdir=$WS/o/up\\\\,per", "workdir=$WS/o/work"]}]}
	EOF
	grep -qF 'up\\,per' "$BUNDLE/runtime.json"
	run_prepbox prep-mount "$BUNDLE"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -d "$WS/o/up,per" ]
	[ -d "$WS/o/work" ]
	[ "$(fstype "$R/ov")" = overlay ]
	[ "$(cat "$R/ov/l")" = low ]
	echo new >"$R/ov/n"
	[ "$(cat "$WS/o/up,per/n")" = new ]
}

@test "overlay: a rollback also removes what the kernel made in the workdir" {
	mkdir -p "$WS/lower" "$WS/o/u" "$WS/o/w"
	ov='{"destination": "ov", "type": "overlay", "source": "overlay", "options": ['
	# a workdir that was there (empty), with index/ as well as work/
	fails_cleanly "$ov\"lowerdir=$WS/lower\", \"upperdir=$WS/o/u\", \"workdir=$WS/o/w\",
	  \"index=on\"]}, {\"destination\": \"x\", \"type\": \"nosuchfs\"}" "No such device"
	[ -z "$(ls -A "$WS/o/w")" ]
	# a workdir this run makes, with volatile: work/incompat/volatile/dirty
	fails_cleanly "$ov\"lowerdir=$WS/lower\", \"upperdir=$WS/n/u\", \"workdir=$WS/n/w\",
	  \"volatile\"]}, {\"destination\": \"x\", \"type\": \"nosuchfs\"}" "No such device"
	[ ! -e "$WS/n" ]
	# a work/ that was there (the kernel makes it anew, mode 0): without the
	# volatile mark left in it, the workdir can be used again
	mkdir -p "$WS/p/u" "$WS/p/w/work"
	chmod 0 "$WS/p/w/work"
	fails_cleanly "$ov\"lowerdir=$WS/lower\", \"upperdir=$WS/p/u\", \"workdir=$WS/p/w\",
	  \"volatile\"]}, {\"destination\": \"x\", \"type\": \"nosuchfs\"}" "No such device"
	mkdir "$WS/ov"
	mount -t overlay -o "lowerdir=$WS/lower,upperdir=$WS/p/u,workdir=$WS/p/w" overlay "$WS/ov"
}

@test "overlay: the rollback removes only what overlay makes in the workdir, follows no symlink" {
	needs_applet prep-all
	mkdir -p "$WS/lower" "$WS/o/u" "$WS/o/w"
	write_config <<-EOF
	{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay",
	             "options": ["lowerdir=$WS/lower", "upperdir=$WS/o/u", "workdir=$WS/o/w"]}]}
	EOF
	# COMMAND fails after putting a file and a symlink into the kernel's work/
	run_prepbox prep-all "$BUNDLE" -- sh -c \
		'mkdir "$0/work/d" && echo x >"$0/work/d/foreign" && ln -s "$1" "$0/work/link"; exit 1' \
		"$WS/o/w" "$SRC"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ $output == *"left behind: undo: kept $WS/o/w/work/"*": not what overlay makes in its workdir"* ]]
	[ -f "$WS/o/w/work/d/foreign" ] && [ -L "$WS/o/w/work/link" ]
	[ "$(ls -A "$SRC")" = "$(printf 'dir\nfile')" ]
	[ -z "$(mounts_below "$R")" ]
}

@test "bind of a regular file: made when missing, an existing one not truncated" {
	mkdir -p "$R/etc"
	echo keep >"$R/etc/kept"
	write_config <<-EOF
	{"mounts": [{"destination": "etc/kept", "source": "$SRC/file", "options": ["bind", "ro"]},
	            {"destination": "etc/new", "source": "$SRC/file", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(cat "$R/etc/kept")" = source ]
	[ "$(cat "$R/etc/new")" = source ]
	has "$(opts "$R/etc/kept")" ro
	umount "$R/etc/kept" "$R/etc/new"
	[ "$(cat "$R/etc/kept")" = keep ]
	[ -f "$R/etc/new" ] && [ ! -s "$R/etc/new" ]
}

@test "type bind without a bind option is a bind mount" {
	write_config <<-EOF
	{"mounts": [{"destination": "tb", "type": "bind", "source": "$SRC/dir", "options": ["ro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(mount_field "$R/tb" 4)" = /src/dir ]
	has "$(opts "$R/tb")" ro
}

@test "a destination ending in / is a directory: a bind of a file there is refused, before anything" {
	write_config <<-EOF
	{"mounts": [{"destination": "d/", "source": "$SRC/file", "options": ["bind", "ro"]}]}
	EOF
	before=$(snapshot)
	for n in -n -v; do
		run_prepbox prep-mount $n "$BUNDLE"
		[ "$status" -eq 1 ]
		[ "$output" = "prep-mount: .mounts[0] (d/): bind $SRC/file onto $R/d/ (a trailing slash means a directory): Not a directory" ]
		[ "$(snapshot)" = "$before" ]
	done
	fails_cleanly '{"destination": "x/d/", "type": "bind", "source": "'"$SRC"'/file"}' \
		"(a trailing slash means a directory): Not a directory"
}

@test "a relative bind source is relative to BUNDLE" {
	mkdir -p "$BUNDLE/data"
	echo d >"$BUNDLE/data/x"
	write_config <<-'EOF'
	{"mounts": [{"destination": "d", "type": "bind", "source": "data"}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(cat "$R/d/x")" = d ]
}

@test "[bind, ro] of a nosuid,nodev,noexec source keeps all three" {
	mount -t tmpfs -o nosuid,nodev,noexec,noatime locked "$SRC"
	write_config <<-EOF
	{"mounts": [{"destination": "k", "source": "$SRC", "options": ["bind", "ro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	o=$(opts "$R/k")
	has "$o" ro && has "$o" nosuid && has "$o" nodev && has "$o" noexec
	# the atime mode comes along too
	has "$o" noatime
}

@test "[bind, rw, nosuid] of a read-only source: rw is honoured, nodev kept" {
	mount -t tmpfs -o nodev rosrc "$SRC"
	mount -o remount,bind,ro,nodev "$SRC"
	write_config <<-EOF
	{"mounts": [{"destination": "w", "source": "$SRC", "options": ["bind", "rw", "nosuid"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	o=$(opts "$R/w")
	has "$o" rw && has "$o" nosuid && has "$o" nodev
	writable "$R/w/new"
}

@test "options that cancel each other: the last wins (ro,rw is rw)" {
	write_config <<-EOF
	{"mounts": [{"destination": "a", "source": "$SRC", "options": ["bind", "ro", "rw"]},
	            {"destination": "b", "source": "$SRC", "options": ["bind", "rw", "ro"]},
	            {"destination": "c", "type": "tmpfs", "source": "c",
	             "options": ["ro", "rw", "nosuid", "suid", "noexec"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	has "$(opts "$R/a")" rw
	writable "$R/a/new"
	erofs "$R/b/new"
	o=$(opts "$R/c")
	has "$o" rw && ! has "$o" nosuid && has "$o" noexec
}

@test "remount: the mount there is changed, its other flags kept" {
	mkdir -p "$R/r"
	mount -t tmpfs -o nosuid,size=2m r "$R/r"
	write_config <<-'EOF'
	{"mounts": [{"destination": "r", "options": ["remount", "ro", "size=3m"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(mounts_below "$R/r" | wc -l)" -eq 1 ]
	has "$(opts "$R/r")" ro
	has "$(opts "$R/r")" nosuid
	has "$(super "$R/r")" ro
	has "$(super "$R/r")" size=3072k
	erofs "$R/r/new"
}

@test "remount,bind: only the mount becomes read-only, not the filesystem" {
	mkdir -p "$R/r"
	mount -t tmpfs -o nodev r "$R/r"
	write_config <<-'EOF'
	{"mounts": [{"destination": "r", "options": ["remount", "bind", "ro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	has "$(opts "$R/r")" ro
	has "$(opts "$R/r")" nodev
	has "$(super "$R/r")" rw
}

@test "remount keeps the filesystem's sync and lazytime unless turned off; the rollback puts them back" {
	mkdir -p "$R/m"
	mount -t tmpfs -o lazytime,sync,nosuid m "$R/m"
	before6=$(opts "$R/m") before11=$(super "$R/m")
	has "$before11" sync && has "$before11" lazytime
	write_config <<-'EOF'
	{"mounts": [{"destination": "m", "options": ["remount", "ro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	has "$(opts "$R/m")" ro && has "$(opts "$R/m")" nosuid
	o=$(super "$R/m")
	has "$o" ro && has "$o" sync && has "$o" lazytime
	# async and nolazytime turn them off
	mount -o remount,rw "$R/m"
	write_config <<-'EOF'
	{"mounts": [{"destination": "m", "options": ["remount", "ro", "async", "nolazytime"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	o=$(super "$R/m")
	has "$o" ro && ! has "$o" sync && ! has "$o" lazytime
	# a rollback gives the mount and its filesystem back all they had
	umount "$R/m"
	mount -t tmpfs -o lazytime,sync,nosuid m "$R/m"
	write_config <<-'EOF'
	{"mounts": [{"destination": "m", "options": ["remount", "ro", "noexec"]},
	            {"destination": "x", "type": "nosuchfs"}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 1 ]
	[ "$(opts "$R/m")" = "$before6" ]
	[ "$(super "$R/m")" = "$before11" ]
}

@test "remount of something that is not a mount point is an error" {
	mkdir -p "$R/plain"
	write_config <<-'EOF'
	{"mounts": [{"destination": "plain", "options": ["remount", "ro"]}]}
	EOF
	before=$(snapshot)
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ $output == *".mounts[0] (plain): $R/plain is not a mount point: Invalid argument"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "mkdir: after the mounts, inside a new mount" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "var", "type": "tmpfs", "source": "var"}],
	 "mkdir": ["var/lib/x", "opt/y"]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(stat -c %d "$R/var/lib/x")" = "$(stat -c %d "$R/var")" ]
	[ "$(stat -c %a "$R/var/lib/x")" = 755 ]
	[ -d "$R/opt/y" ]
	umount "$R/var"
	[ ! -e "$R/var/lib" ]
}

@test "--dry-run: the plan in mount(8) words; nothing changes" {
	mkdir -p "$R/r"
	mount -t tmpfs r "$R/r"
	write_config <<-EOF
	{"mounts": [{"destination": "t", "type": "tmpfs", "source": "tmpfs",
	             "options": ["nosuid", "size=1m", "rshared"]},
	            {"destination": "b", "source": "$SRC", "options": ["rbind", "ro", "slave"]},
	            {"destination": "f", "source": "$SRC/file", "options": ["bind"]},
	            {"destination": "rr", "source": "$SRC", "options": ["rbind", "rro"]},
	            {"destination": "r", "options": ["remount", "ro"]}],
	 "mkdir": ["t/x", "$WS/abs dir"]}
	EOF
	before=$(snapshot)
	run --separate-stderr "$PREPBOX" prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "mkdir -p $R/t
mount -t tmpfs -o nosuid,size=1m tmpfs $R/t
mount --make-rshared $R/t
mkdir -p $R/b
mount -o rbind,ro $SRC $R/b
mount -o remount,bind,ro,relatime $R/b
mount --make-slave $R/b
touch $R/f
mount -o bind $SRC/file $R/f
mkdir -p $R/rr
mount -o rbind $SRC $R/rr
mount -o remount,bind,ro=recursive $R/rr
mount -o remount,ro,relatime $R/r
mkdir -p $R/t/x
mkdir -p '$WS/abs dir'" ]
	[ "$(snapshot)" = "$before" ]
}

# fails_cleanly CONFIG-ENTRY MESSAGE: a first mount that works, then CONFIG-ENTRY
# that fails: exit 1, MESSAGE in the error, and the state as before.
fails_cleanly() {
	write_config <<-EOF
	{"mounts": [{"destination": "ok/a", "type": "tmpfs", "source": "ok"},
	            {"destination": "ok/b", "source": "$SRC", "options": ["bind", "ro"]},
	            $1]}
	EOF
	before=$(snapshot)
	run_prepbox prep-mount "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"$2"* ]]
	[ "$(snapshot)" = "$before" ]
	[ ! -e "$R/ok" ]
}

@test "a missing bind source is found before anything is done: exit 2, with -n too" {
	mkdir -p "$BUNDLE/data"
	# in the rootfs too, when no earlier entry's destination is at, above or
	# below it; a remount or a propagation change there makes nothing
	for source in rootfs/ok/missing "$R/ok/missing" /nonexistent data/missing; do
		write_config <<-EOF
		{"mounts": [{"destination": "ok/a", "type": "tmpfs", "source": "ok"},
		            {"destination": "$BUNDLE", "options": ["rprivate"]},
		            {"destination": "$WS", "type": "none", "options": ["remount", "bind", "ro"]},
		            {"destination": "x/y", "source": "$source", "options": ["bind"]}]}
		EOF
		before=$(snapshot)
		for n in -v -n; do
			run_prepbox prep-mount $n "$BUNDLE"
			[ "$status" -eq 2 ]
			[ "$(snapshot)" = "$before" ]
		done
	done
	[ "$output" = "prep-mount: .mounts[3] (x/y): bind source: open $BUNDLE/data/missing: No such file or directory" ]
	write_config <<-EOF
	{"mounts": [{"destination": "x/y", "source": "/nonexistent", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$output" = "prep-mount: .mounts[0] (x/y): bind source /nonexistent: No such file or directory" ]
}

@test "a bind source that an earlier entry may make is looked for when its entry runs" {
	write_config <<-EOF
	{"mounts": [{"destination": "$WS/t", "type": "tmpfs", "source": "t"},
	            {"destination": "$WS/t/f", "source": "$SRC/file", "options": ["bind"]},
	            {"destination": "t", "type": "tmpfs", "source": "t2"},
	            {"destination": "t/d", "source": "$SRC/dir", "options": ["bind"]},
	            {"destination": "a", "source": "$WS/t/f", "options": ["bind"]},
	            {"destination": "b", "source": "rootfs/t/d", "options": ["bind"]},
	            {"destination": "c", "source": "$R/t/d", "options": ["bind"]}]}
	EOF
	before=$(snapshot)
	# -n plans the sources still to be made as the config gives them
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(snapshot)" = "$before" ]
	grep -qxF "mount -o bind $WS/t/f $R/a" <<<"$output"
	grep -qxF "mount -o bind $R/t/d $R/b" <<<"$output"
	grep -qxF "mount -o bind $R/t/d $R/c" <<<"$output"
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(cat "$R/a")" = source ]
	[ "$(mount_field "$R/b" 4)" = /src/dir ] && [ "$(mount_field "$R/c" 4)" = /src/dir ]
	umount -R "$WS/t" "$R/a" "$R/b" "$R/c" "$R/t"
	rm -r "$WS/t" "$R"/*
	[ "$(snapshot)" = "$before" ]
	# not there after all: an error when the entry runs, and a rollback
	for source in "$WS/t/missing" rootfs/t/missing "$R/t/missing"; do
		write_config <<-EOF
		{"mounts": [{"destination": "$WS/t", "type": "tmpfs", "source": "t"},
		            {"destination": "t", "type": "tmpfs", "source": "t2"},
		            {"destination": "m", "source": "$source", "options": ["bind"]}]}
		EOF
		run_prepbox prep-mount "$BUNDLE"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ $output == "prep-mount: .mounts[2] (m): bind source"*": No such file or directory"* ]]
		[ "$(snapshot)" = "$before" ]
	done
}

@test "a relative bind source that an earlier absolute destination makes is looked for when its entry runs" {
	for bundle in "$BUNDLE" bundle; do
		write_config <<-EOF
		{"mounts": [{"destination": "$BUNDLE/data", "type": "tmpfs", "source": "d"},
		            {"destination": "x", "source": "data", "options": ["bind"]}]}
		EOF
		before=$(snapshot)
		(cd "$WS" && "$PREPBOX" prep-mount "$bundle")
		[ "$(source_of "$R/x")" = d ]
		umount "$R/x" "$BUNDLE/data"
		rmdir "$R/x" "$BUNDLE/data"
		[ "$(snapshot)" = "$before" ]
	done
	# not there after all: an error when the entry runs, and a rollback
	write_config <<-EOF
	{"mounts": [{"destination": "$BUNDLE/data", "type": "tmpfs", "source": "d"},
	            {"destination": "x", "source": "data/missing", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 1 ]
	[ "$output" = "prep-mount: .mounts[1] (x): bind source: open $BUNDLE/data/missing: No such file or directory" ]
	[ "$(snapshot)" = "$before" ]
	# the two spelled through a host symlink (as /var/run -> ../run on most hosts)
	mkdir -p "$WS/h/run" "$WS/h/var"
	ln -s ../run "$WS/h/var/run"
	write_config <<-EOF
	{"mounts": [{"destination": "$WS/h/run/svc", "type": "tmpfs", "source": "svc"},
	            {"destination": "x", "source": "$WS/h/var/run/svc", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(source_of "$R/x")" = svc ]
	umount "$R/x" "$WS/h/run/svc"
	# a relative one through a BUNDLE symlink counts it from BUNDLE, as its
	# entry will: nothing there is made by the earlier entry
	ln -s "$WS/h/run" "$BUNDLE/link"
	write_config <<-EOF
	{"mounts": [{"destination": "$WS/h/run/svc2", "type": "tmpfs", "source": "svc"},
	            {"destination": "y", "source": "link/svc2", "options": ["bind"]}]}
	EOF
	before=$(snapshot)
	for n in -n -v; do
		run_prepbox prep-mount $n "$BUNDLE"
		[ "$status" -eq 2 ]
		[ "$(snapshot)" = "$before" ]
	done
	# a relative BUNDLE symlink is followed there, as the entry will follow it
	mkdir "$BUNDLE/data2"
	ln -s data2 "$BUNDLE/link2"
	write_config <<-EOF
	{"mounts": [{"destination": "$BUNDLE/data2/sub", "type": "tmpfs", "source": "svc"},
	            {"destination": "y", "source": "link2/sub", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(source_of "$R/y")" = svc ]
}

@test "a rollback of an rbind of a shared directory leaves the source's sub-mounts mounted" {
	shared_source
	mkdir "$SRC/x"
	mount -t tmpfs srcx "$SRC/x"
	echo precious >"$SRC/x/f"
	# the copy of x is a peer of SRC/x: unmounting it would unmount both
	fails_cleanly '{"destination": "hostlog", "source": "'"$SRC"'", "options": ["rbind"]},
	  {"destination": "z", "type": "nosuchfs"}' "No such device"
	# a mount of this run inside it appears in SRC too: its undo takes that copy along
	fails_cleanly '{"destination": "hostlog", "source": "'"$SRC"'", "options": ["rbind"]},
	  {"destination": "hostlog/y", "type": "tmpfs", "source": "y"},
	  {"destination": "z", "type": "nosuchfs"}' "No such device"
	[ "$(mounts_below "$SRC" | tr '\n' ' ')" = "$SRC $SRC/x " ]
	[ "$(cat "$SRC/x/f")" = precious ]
}

@test "a BUNDLE without rootfs: exit 2 before anything when a path is relative" {
	rmdir "$R"
	write_config <<<'{}'
	before=$(snapshot)
	abs='{"destination": "'$WS'/abs", "type": "tmpfs", "source": "a"}'
	for config in "{\"mounts\": [$abs], \"mkdir\": [\"rel\"]}" \
		"{\"mounts\": [$abs, {\"destination\": \"rel\", \"type\": \"tmpfs\"}]}" \
		"{\"mounts\": [$abs, {\"destination\": \"$WS/b\", \"source\": \"rootfs/x\", \"type\": \"bind\"}]}"; do
		write_config <<<"$config"
		run_prepbox prep-mount "$BUNDLE"
		[ "$status" -eq 2 ]
		[[ $output == "prep-mount: ."*": open rootfs $R: No such file or directory" ]]
		[ "$(snapshot)" = "$before" ]
	done
	# absolute paths alone need no rootfs
	write_config <<-EOF
	{"mounts": [{"destination": "$WS/abs", "type": "tmpfs", "source": "a"}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
}

@test "error: an unknown filesystem type names the mount and rolls back" {
	fails_cleanly '{"destination": "x/y", "type": "nosuchfs", "source": "n"}' \
		"prep-mount: .mounts[2] (x/y): mount -t nosuchfs n $R/x/y: No such device"
}

@test "error: data the filesystem rejects names the mount and rolls back" {
	fails_cleanly '{"destination": "'"$WS"'/run/x", "type": "tmpfs", "source": "tmpfs",
	                "options": ["size=bogus"]}' \
		"prep-mount: .mounts[2] ($WS/run/x): mount -t tmpfs -o size=bogus tmpfs $WS/run/x: Invalid argument"
	[ ! -e "$WS/run" ]
}

@test "error: a file where a directory is needed names the mount and rolls back" {
	mkdir -p "$R/etc"
	echo f >"$R/etc/file"
	fails_cleanly '{"destination": "etc/file/sub", "type": "tmpfs", "source": "t"}' \
		"prep-mount: .mounts[2] (etc/file/sub): mkdir -p $R/etc/file/sub: Not a directory"
	fails_cleanly '{"destination": "etc/file", "type": "tmpfs", "source": "t"}' \
		".mounts[2] (etc/file): mkdir -p $R/etc/file: Not a directory"
}

@test "error: a remount is rolled back to the flags it had" {
	mkdir -p "$R/r"
	mount -t tmpfs -o nosuid r "$R/r"
	mount -t tmpfs -o nodev rb "$SRC"
	fails_cleanly '{"destination": "r", "options": ["remount", "ro", "noexec"]},
	  {"destination": "r", "options": ["remount", "bind", "rw", "suid"]},
	  {"destination": "'"$SRC"'", "options": ["remount", "bind", "ro"]},
	  {"destination": "x", "type": "nosuchfs"}' "No such device"
	has "$(opts "$R/r")" rw
	has "$(super "$R/r")" rw
	writable "$R/r/new"
}

@test "--no-rollback leaves what was done" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "a", "type": "tmpfs", "source": "a"},
	            {"destination": "b", "type": "nosuchfs", "source": "b"}]}
	EOF
	run_prepbox prep-mount --no-rollback "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ $output == *"--no-rollback: "*" of this run left in place"* ]]
	[ "$(source_of "$R/a")" = a ]
	[ -d "$R/b" ]
}

@test "a failure at any action (fault injection) rolls everything back" {
	write_config <<-'EOF'
	{"mkdir": ["x"]}
	EOF
	run env PREPBOX_FAIL_AT=1 "$PREPBOX" prep-mount "$BUNDLE"
	[[ $output == *"injected fault"* ]] || skip "$PREPBOX is not a fault-injection build"
	rmdir "$R/x" 2>/dev/null || true
	mkdir -p "$R/r"
	mount -t tmpfs r "$R/r"
	mount -t tmpfs sub "$SRC/dir"
	write_config <<-EOF
	{"mounts": [{"destination": "t/a", "type": "tmpfs", "source": "t", "options": ["rshared"]},
	            {"destination": "b", "source": "$SRC", "options": ["rbind", "ro", "rro", "private"]},
	            {"destination": "f", "source": "$SRC/file", "options": ["bind", "ro"]},
	            {"destination": "r", "options": ["remount", "ro"]},
	            {"destination": "o", "type": "overlay", "source": "overlay",
	             "options": ["lowerdir=$SRC", "upperdir=$WS/up/u", "workdir=$WS/up/w"]}],
	 "mkdir": ["t/a/b/c", "m/n"]}
	EOF
	before=$(snapshot)
	n=0
	while :; do
		n=$((n + 1))
		run env PREPBOX_FAIL_AT=$n "$PREPBOX" prep-mount "$BUNDLE"
		[ "$status" -eq 0 ] && break
		echo "action $n: $output"
		[ "$status" -eq 1 ]
		[[ $output == *"injected fault at action $n"* ]]
		[ "$(snapshot)" = "$before" ]
	done
	[ "$n" -gt 15 ]
}

@test "--dry-run plans a directory two entries need once, by its name" {
	echo f >"$WS/f"
	write_config <<-EOF
	{"mounts": [{"destination": "netns/a", "source": "$WS/f", "options": ["bind"]},
	            {"destination": "netns/b", "source": "$WS/f", "options": ["bind"]},
	            {"destination": "netns/c/d", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["netns/c", "netns"]}
	EOF
	before=$(snapshot)
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(snapshot)" = "$before" ]
	[ "$output" = "mkdir -p $R/netns
touch $R/netns/a
mount -o bind $WS/f $R/netns/a
touch $R/netns/b
mount -o bind $WS/f $R/netns/b
mkdir -p $R/netns/c/d
mount -t tmpfs t $R/netns/c/d" ]
}

@test "--dry-run: a planned mount on the rootfs by another of its names hides what was planned below it" {
	ln -s "$BUNDLE" "$WS/l"
	real=$(realpath "$BUNDLE/rootfs")
	write_config <<-EOF
	{"mounts": [{"destination": "x/y", "type": "tmpfs", "source": "t"},
	            {"destination": "$real", "type": "tmpfs", "source": "t"},
	            {"destination": "x/y", "type": "tmpfs", "source": "t"}]}
	EOF
	for b in "$WS/l" "$BUNDLE"; do
		run_prepbox prep-mount -n "$b"
		[ "$status" -eq 0 ]
		[ "$output" = "mkdir -p $b/rootfs/x/y
mount -t tmpfs t $b/rootfs/x/y
mount -t tmpfs t $real
mkdir -p $b/rootfs/x/y
mount -t tmpfs t $b/rootfs/x/y" ]
	done
}

@test "--dry-run: a planned mount hides what was planned below it, which is planned again" {
	mkdir -p "$WS/d"
	write_config <<-EOF
	{"mounts": [{"destination": "srv/data", "source": "$WS/d", "options": ["bind"]},
	            {"destination": "srv", "type": "tmpfs", "source": "t"},
	            {"destination": "srv/data", "source": "$WS/d", "options": ["bind"]}]}
	EOF
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir -p $R/srv/data
mount -o bind $WS/d $R/srv/data
mount -t tmpfs t $R/srv
mkdir -p $R/srv/data
mount -o bind $WS/d $R/srv/data" ]
	# the mount point stays planned; paths are compared as words (and shown
	# from where the run will find them: "./srv/" is srv/)
	write_config <<-EOF
	{"mounts": [{"destination": "srv/data", "source": "$WS/d", "options": ["bind"]},
	            {"destination": "./srv/", "type": "tmpfs", "source": "t"},
	            {"destination": "srv", "type": "tmpfs", "source": "u"},
	            {"destination": "srv/data", "source": "$WS/d", "options": ["bind"]}],
	 "mkdir": ["srv"]}
	EOF
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir -p $R/srv/data
mount -o bind $WS/d $R/srv/data
mount -t tmpfs t $R/srv/
mount -t tmpfs u $R/srv
mkdir -p $R/srv/data
mount -o bind $WS/d $R/srv/data" ]
}
