#!/usr/bin/env bats
# prep-bindns: each namespace type of a stand-in container bound onto a file
# in the workspace; the kernel is the judge: the namespace inode of the bound
# file (stat -L) against /proc/PID/ns/TYPE, the mountinfo lines of each path,
# and a network namespace that outlives its process through the bind.
# Every path is below $WS; nothing is bound on the host's /run.

load helpers

TYPES="cgroup ipc mnt net pid user uts"

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-bindns
	setup_workspace
	KILL_PIDS=()
}

teardown() {
	local pid
	[ -n "${WS:-}" ] || return 0 # skipped before the workspace was made
	# A pid namespace's init ignores SIGTERM: those go with SIGKILL first.
	for pid in "${KILL_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	teardown_workspace
}

# ns_inode PID TYPE: the inode of the process's TYPE namespace.
ns_inode() {
	local link
	link=$(readlink "/proc/$1/ns/$2") || return 1
	link=${link#*[}
	echo "${link%]}"
}

# cpus: the CPUs this test may run on, one per line (Cpus_allowed_list).
cpus() {
	local part
	for part in $(awk '/^Cpus_allowed_list/ { gsub(",", " ", $2); print $2 }' /proc/self/status); do
		case $part in
		*-*) seq "${part%-*}" "${part#*-}" ;;
		*) echo "$part" ;;
		esac
	done
}

# start_full_container: a stand-in container in new cgroup, ipc, mnt, net,
# pid, user and uts namespaces; sets CPID (the sleep, pid 1 of its own pid
# namespace).
#
# Linux 6.18 numbers new mount namespaces from per-CPU batches, and the
# kernel's loop check (no mount namespace may be bound unless it is newer
# than the caller's) compares those numbers, so a namespace made on another
# CPU may be refused. As snapd does, the container is made on each allowed
# CPU in turn until a test bind of its mount namespace is accepted; the CPU
# that numbered this suite's namespace always gives a newer one.
start_full_container() {
	local cpu upid child
	for cpu in $(cpus); do
		taskset -c "$cpu" unshare -C -i -m -n -p -U -u --fork --kill-child \
			sleep 1000 2>/dev/null &
		upid=$!
		STARTED_PIDS+=("$upid")
		child=
		for _ in $(seq 100); do
			child=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null)
			child=${child%% *}
			[ -n "$child" ] && [ "$(readlink "/proc/$child/exe")" = "$(readlink -f "$(command -v sleep)")" ] &&
				break
			child=
			sleep 0.02
		done
		[ -n "$child" ] || { echo "container did not start" >&2; return 1; }
		KILL_PIDS+=("$child")
		touch "$WS/.probe"
		if mount --bind "/proc/$child/ns/mnt" "$WS/.probe" 2>/dev/null; then
			umount "$WS/.probe"
			rm "$WS/.probe"
			CPID=$child
			return 0
		fi
		kill -KILL "$child"
	done
	rm -f "$WS/.probe"
	skip "the kernel refuses to bind every new mount namespace (its loop check)"
}

# all_types_config: every type below $WS, net at the ip-netns(8) place.
all_types_config() {
	write_config <<-EOF
	{"bindNS": {"cgroup": "$WS/ns/cgroup", "ipc": "$WS/ns/ipc", "mnt": "$WS/ns/mnt",
	            "net": "$WS/run/netns/svc", "pid": "$WS/ns/pid", "user": "$WS/ns/user",
	            "uts": "$WS/ns/uts"}}
	EOF
}

path_of() {
	if [ "$1" = net ]; then echo "$WS/run/netns/svc"; else echo "$WS/ns/$1"; fi
}

# nsfs_lines PATH: how many mountinfo lines have PATH as mount point.
nsfs_lines() {
	awk -v d="$1" '$5 == d' /proc/self/mountinfo | wc -l
}

@test "every namespace type is bound: parents made, inode of the process's namespace, one mount each" {
	start_full_container
	all_types_config
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -d "$WS/run/netns" ]
	for t in $TYPES; do
		p=$(path_of "$t")
		want=$(ns_inode "$CPID" "$t")
		# The container's own namespace, not prepbox's.
		[ "$want" != "$(ns_inode self "$t")" ]
		[ "$(stat -L -c %i "$p")" = "$want" ]
		[ "$(nsfs_lines "$p")" -eq 1 ]
		[ "$(mount_field "$p" 9)" = nsfs ]
		[ "$(mount_field "$p" 4)" = "$t:[$want]" ]
	done
	[ "$(mounts_below "$WS" | grep -c .)" -eq 8 ] # the workspace and the seven
}

@test "a second run for the same process leaves every bind as it is" {
	start_full_container
	all_types_config
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	before=$(cat /proc/self/mountinfo) # with the mount IDs: nothing remounted
	run --separate-stderr "$PREPBOX" prep-bindns -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(cat /proc/self/mountinfo)" = "$before" ]
	run "$PREPBOX" prep-bindns -n --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "the bound net namespace outlives its process: the interfaces moved in are still there" {
	start_container -n
	ip link add pb-host type veth peer name pb-cont netns "$CPID" ||
		skip "no veth on this kernel"
	# Moved in after it was made (not ifb: loading its module adds ifb0 and
	# ifb1 to the host).
	ip link add pb-moved type veth peer name pb-moved-peer
	ip link set pb-moved netns "$CPID"
	! ip link show pb-moved 2>/dev/null
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	inode=$(ns_inode "$CPID" net)
	kill "$CPID"
	wait "$CPID" || true
	[ ! -e "/proc/$CPID" ]
	[ "$(stat -L -c %i "$WS/run/netns/svc")" = "$inode" ]
	run nsenter --net="$WS/run/netns/svc" ip -o link show pb-cont
	[ "$status" -eq 0 ]
	[[ "$output" == *"pb-cont@"* ]]
	nsenter --net="$WS/run/netns/svc" ip -o link show pb-moved
	ip -o link show pb-host
	# The bind was all that kept it: without it the namespace and the pair go.
	umount "$WS/run/netns/svc"
	for _ in $(seq 100); do
		ip link show pb-host >/dev/null 2>&1 || break
		sleep 0.1
	done
	! ip link show pb-host 2>/dev/null
}

@test "a new process replaces the old bind instead of stacking it" {
	start_container -n
	old=$CPID
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run_prepbox prep-bindns --pid "$old" "$BUNDLE"
	[ "$status" -eq 0 ]
	start_container -n
	[ "$CPID" != "$old" ]
	run --separate-stderr "$PREPBOX" prep-bindns -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-bindns: umount -l $WS/run/netns/svc
prep-bindns: mount --bind /proc/$CPID/ns/net $WS/run/netns/svc" ]
	[ "$(nsfs_lines "$WS/run/netns/svc")" -eq 1 ]
	[ "$(stat -L -c %i "$WS/run/netns/svc")" = "$(ns_inode "$CPID" net)" ]
	[ "$(stat -L -c %i "$WS/run/netns/svc")" != "$(ns_inode "$old" net)" ]
	# Unmounted, the path is the empty file it was made as.
	umount "$WS/run/netns/svc"
	[ "$(nsfs_lines "$WS/run/netns/svc")" -eq 0 ]
	[ -f "$WS/run/netns/svc" ] && [ ! -s "$WS/run/netns/svc" ]
}

@test "binds stacked by an older tool are all replaced by one" {
	start_container -n -u
	old=$CPID
	start_container -n
	touch "$WS/svc"
	mount --bind "/proc/$old/ns/net" "$WS/svc"
	mount --bind "/proc/$old/ns/uts" "$WS/svc"
	[ "$(nsfs_lines "$WS/svc")" -eq 2 ]
	write_config <<-EOF
	{"bindNS": {"net": "$WS/svc"}}
	EOF
	run "$PREPBOX" prep-bindns -n --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "umount -l $WS/svc
umount -l $WS/svc
mount --bind /proc/$CPID/ns/net $WS/svc" ]
	[ "$(nsfs_lines "$WS/svc")" -eq 2 ]
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(nsfs_lines "$WS/svc")" -eq 1 ]
	[ "$(stat -L -c %i "$WS/svc")" = "$(ns_inode "$CPID" net)" ]
}

@test "an existing empty file is used as the mount point and kept" {
	start_container -n
	mkdir -p "$WS/run/netns"
	touch "$WS/run/netns/svc"
	chmod 0600 "$WS/run/netns/svc"
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run --separate-stderr "$PREPBOX" prep-bindns -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-bindns: mount --bind /proc/$CPID/ns/net $WS/run/netns/svc" ]
	[ "$(stat -L -c %i "$WS/run/netns/svc")" = "$(ns_inode "$CPID" net)" ]
	umount "$WS/run/netns/svc"
	[ "$(stat -c %a "$WS/run/netns/svc")" = 600 ]
}

@test "a non-empty file at the path is refused before anything is done, and kept intact" {
	start_container -n -i
	mkdir -p "$WS/run/netns"
	printf 'keep\n' >"$WS/run/netns/svc"
	write_config <<-EOF
	{"bindNS": {"ipc": "$WS/new/ipc", "net": "$WS/run/netns/svc"}}
	EOF
	before_tree=$(tree "$WS")
	before_mounts=$(mount_table)
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-bindns: .bindNS.net ($WS/run/netns/svc): mount point $WS/run/netns/svc: not empty (5 bytes), left as it is: File exists" ]
	[ "$(cat "$WS/run/netns/svc")" = keep ]
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(mount_table)" = "$before_mounts" ]
}

@test "a directory, a symlink or a FIFO at the path is refused; a symlink is not followed" {
	start_container -n
	mkdir -p "$WS/dir" "$WS/elsewhere"
	touch "$WS/elsewhere/empty"
	ln -s "$WS/elsewhere/empty" "$WS/link"
	mkfifo "$WS/fifo"
	echo '{}' >"$BUNDLE/runtime.json"
	before_tree=$(tree "$WS")
	before_mounts=$(mount_table)
	for p in dir link fifo; do
		write_config <<-EOF
		{"bindNS": {"net": "$WS/$p"}}
		EOF
		run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
		[ "$status" -eq 2 ]
		case $p in
		dir) [ "$output" = "prep-bindns: .bindNS.net ($WS/dir): mount point $WS/dir: a directory, not an empty file: Is a directory" ] ;;
		# strerror(ELOOP): glibc and musl word it differently.
		link) [[ "$output" == "prep-bindns: .bindNS.net ($WS/link): mount point $WS/link: a symlink (not followed): "?* ]] ;;
		fifo) [ "$output" = "prep-bindns: .bindNS.net ($WS/fifo): mount point $WS/fifo: a FIFO, not an empty file: File exists" ] ;;
		esac
	done
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(mount_table)" = "$before_mounts" ]
	[ -L "$WS/link" ]
}

@test "something else mounted at the path is refused" {
	start_container -n
	touch "$WS/src" "$WS/svc"
	mount --bind "$WS/src" "$WS/svc"
	write_config <<-EOF
	{"bindNS": {"net": "$WS/svc"}}
	EOF
	before_mounts=$(mount_table)
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-bindns: .bindNS.net ($WS/svc): mount point $WS/svc: something other than a namespace is mounted there: "?* ]] # EBUSY
	[ "$(mount_table)" = "$before_mounts" ]
}

@test "rollback unmounts and removes what it made and restores the replaced bind" {
	start_container -n -u
	old=$CPID
	old_inode=$(ns_inode "$old" net)
	# The last bind of the second run fails only when it is made: its
	# directory is read-only. (Mounted first: the mount table is compared
	# in order, and the old bind comes back as the newest mount.)
	mkdir -p "$WS/blocked"
	mount -t tmpfs -o ro blocked "$WS/blocked"
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run_prepbox prep-bindns --pid "$old" "$BUNDLE"
	[ "$status" -eq 0 ]
	# The service's process has exited: its namespace lives only in the bind.
	kill "$old"
	wait "$old" || true
	start_container -n -i -u
	before_tree=$(tree "$WS")
	before_mounts=$(mount_table)
	write_config <<-EOF
	{"bindNS": {"ipc": "$WS/new/dir/ipc", "net": "$WS/run/netns/svc",
	            "uts": "$WS/blocked/uts"}}
	EOF
	run --separate-stderr "$PREPBOX" prep-bindns -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"prep-bindns: .bindNS.uts ($WS/blocked/uts): create $WS/blocked/uts: Read-only file system"* ]]
	[[ "$stderr" == *"prep-bindns: undo: umount $WS/run/netns/svc
prep-bindns: undo: mount --bind net:[$old_inode] $WS/run/netns/svc
prep-bindns: undo: umount $WS/new/dir/ipc
prep-bindns: undo: rm $WS/new/dir/ipc
prep-bindns: undo: rmdir $WS/new/dir
prep-bindns: undo: rmdir $WS/new" ]]
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(mount_table)" = "$before_mounts" ]
	[ "$(nsfs_lines "$WS/run/netns/svc")" -eq 1 ]
	[ "$(stat -L -c %i "$WS/run/netns/svc")" = "$old_inode" ]
}

@test "rollback puts binds stacked by an older tool back as they were" {
	start_container -n -u
	a=$CPID
	start_container -n -i
	mkdir "$WS/ro"
	mount -t tmpfs -o ro ro "$WS/ro"
	touch "$WS/svc"
	mount --bind "/proc/$a/ns/net" "$WS/svc"
	mount --bind "/proc/$a/ns/uts" "$WS/svc"
	write_config <<-EOF
	{"bindNS": {"net": "$WS/svc", "uts": "$WS/ro/uts"}}
	EOF
	before_mounts=$(mount_table)
	before_tree=$(tree "$WS")
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[ "$(mount_table)" = "$before_mounts" ]
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(stat -L -c %i "$WS/svc")" = "$(ns_inode "$a" uts)" ]
	umount "$WS/svc"
	[ "$(stat -L -c %i "$WS/svc")" = "$(ns_inode "$a" net)" ]
}

@test "a failure at any action rolls everything back" {
	start_container -n
	write_config <<-EOF
	{"bindNS": {"net": "$WS/x"}}
	EOF
	run env PREPBOX_FAIL_AT=1 "$PREPBOX" prep-bindns --pid "$CPID" "$BUNDLE"
	[[ $output == *"injected fault"* ]] || skip "$PREPBOX is not a fault-injection build"
	start_container -n -u
	old=$CPID
	start_container -n -i -u
	touch "$WS/svc" "$WS/empty"
	mount --bind "/proc/$old/ns/net" "$WS/svc"
	mount --bind "/proc/$old/ns/uts" "$WS/svc"
	kill "$old"
	wait "$old" || true
	write_config <<-EOF
	{"bindNS": {"ipc": "$WS/a/b/ipc", "net": "$WS/svc", "uts": "$WS/empty"}}
	EOF
	before="$(mount_table)
$(tree "$WS")"
	n=0
	while :; do
		n=$((n + 1))
		run env PREPBOX_FAIL_AT=$n "$PREPBOX" prep-bindns --pid "$CPID" "$BUNDLE"
		[ "$status" -eq 0 ] && break
		echo "action $n: $output"
		[ "$status" -eq 1 ]
		[[ $output == *"injected fault at action $n"* ]]
		[ "$(mount_table)
$(tree "$WS")" = "$before" ]
	done
	# mkdir a, mkdir a/b, touch, mount; umount -l twice, mount; mount
	[ "$n" -eq 9 ]
	[ "$(stat -L -c %i "$WS/svc")" = "$(ns_inode "$CPID" net)" ]
	[ "$(nsfs_lines "$WS/svc")" -eq 1 ]
}

@test "--dry-run prints the plan in mount(8) words and changes nothing" {
	start_container -n -i
	mkdir -p "$WS/run"
	write_config <<-EOF
	{"bindNS": {"ipc": "$WS/ns/ipc", "net": "$WS/run/netns/svc", "uts": "$WS/ns/uts"}}
	EOF
	before_tree=$(tree "$WS")
	before_mounts=$(mount_table)
	run --separate-stderr "$PREPBOX" prep-bindns -n --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "mkdir -p $WS/ns
touch $WS/ns/ipc
mount --bind /proc/$CPID/ns/ipc $WS/ns/ipc
mkdir -p $WS/run/netns
touch $WS/run/netns/svc
mount --bind /proc/$CPID/ns/net $WS/run/netns/svc
touch $WS/ns/uts
mount --bind /proc/$CPID/ns/uts $WS/ns/uts" ]
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(mount_table)" = "$before_mounts" ]
}

@test "--pid-file names the process" {
	start_container -n
	echo "$CPID" >"$WS/svc.pid"
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run_prepbox prep-bindns --pid-file "$WS/svc.pid" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(stat -L -c %i "$WS/run/netns/svc")" = "$(ns_inode "$CPID" net)" ]
}

@test "a pid that names no live process is a usage error and nothing is made" {
	start_container -n
	dead=$CPID
	kill "$dead"
	wait "$dead" || true
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run_prepbox prep-bindns --pid "$dead" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ ! -e "$WS/run" ]
	run_prepbox prep-bindns "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--pid"* ]]
	[ ! -e "$WS/run" ]
}

@test "a process that has exited but is not reaped (a zombie) is refused before anything: exit 2" {
	sh -c 'unshare -n true & exec sleep 1000' &
	parent=$!
	STARTED_PIDS+=("$parent")
	for _ in $(seq 100); do
		zombie=$(cat "/proc/$parent/task/$parent/children" 2>/dev/null)
		zombie=${zombie%% *}
		[ -n "$zombie" ] && grep -q '^State:.*Z' "/proc/$zombie/status" && break
		sleep 0.02
	done
	grep -q '^State:.*Z' "/proc/$zombie/status"
	write_config <<-EOF
	{"bindNS": {"net": "$WS/run/netns/svc"}}
	EOF
	run_prepbox prep-bindns --pid "$zombie" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-bindns: process $zombie has exited (a zombie, not reaped yet: it has no namespaces any more): "* ]]
	[ ! -e "$WS/run" ]
}

@test "a mount namespace bound where the kernel sees a loop: the error says so" {
	write_config <<-EOF
	{"bindNS": {"ipc": "$WS/ns/ipc", "mnt": "$WS/ns/mnt"}}
	EOF
	before_tree=$(tree "$WS")
	before_mounts=$(mount_table)
	# This shell's mount namespace is prepbox's own.
	run_prepbox prep-bindns --pid $$ "$BUNDLE"
	[ "$status" -eq 1 ]
	[ "$output" = "prep-bindns: .bindNS.mnt ($WS/ns/mnt): mount --bind /proc/$$/ns/mnt $WS/ns/mnt (the kernel refuses to bind a mount namespace where a loop could follow: onto a mount whose mount events reach another, a shared one with peers or slaves, or when it is not newer than prepbox's own): Invalid argument" ]
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(mount_table)" = "$before_mounts" ]
}

@test "the same path for two types is a config error: exit 2, nothing done" {
	start_container -n -u
	write_config <<-EOF
	{"bindNS": {"net": "$WS/svc", "uts": "$WS/svc"}}
	EOF
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-bindns: runtime.json: .bindNS.uts: \"$WS/svc\" is also .bindNS.net" ]
	[ ! -e "$WS/svc" ]
}

@test "a config without bindNS does nothing" {
	start_container -n
	write_config <<-'EOF'
	{"cgroups": ["not-this-applets-business"]}
	EOF
	before_tree=$(tree "$WS")
	run_prepbox prep-bindns --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(tree "$WS")" = "$before_tree" ]
}

@test "a path below BUNDLE/rootfs is resolved inside it: an image symlink cannot lead the bind onto the host's" {
	R=$BUNDLE/rootfs
	HOSTRUN=$WS/hostrun
	# mounted first: a rollback's rebind comes back as the newest mount
	mkdir -p "$WS/blocked"
	mount -t tmpfs -o ro blocked "$WS/blocked"
	# the host's own bind, where the image's symlink run points from the host
	start_container -n
	host=$CPID
	mkdir -p "$HOSTRUN/netns" "$R$HOSTRUN/netns"
	touch "$HOSTRUN/netns/svc"
	mount --bind "/proc/$host/ns/net" "$HOSTRUN/netns/svc"
	ln -s "$HOSTRUN" "$R/run"
	start_container -n
	old=$CPID
	write_config <<-EOF
	{"bindNS": {"net": "$R/run/netns/svc"}}
	EOF
	run --separate-stderr "$PREPBOX" prep-bindns -v --pid "$old" "$BUNDLE"
	[ "$status" -eq 0 ]
	# -v names where the bind is, not what the image's symlink means on the host
	[ "$stderr" = "prep-bindns: touch $R$HOSTRUN/netns/svc
prep-bindns: mount --bind /proc/$old/ns/net $R$HOSTRUN/netns/svc" ]
	[ "$(stat -L -c %i "$HOSTRUN/netns/svc")" = "$(ns_inode "$host" net)" ]
	[ "$(stat -L -c %i "$R$HOSTRUN/netns/svc")" = "$(ns_inode "$old" net)" ]
	# replaced inside, and put back there by a rollback
	start_container -n -u
	write_config <<-EOF
	{"bindNS": {"net": "$R/run/netns/svc", "uts": "$WS/blocked/uts"}}
	EOF
	before_tree=$(tree "$WS")
	before_mounts=$(mount_table)
	run --separate-stderr "$PREPBOX" prep-bindns -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"prep-bindns: undo: umount $R/run/netns/svc
prep-bindns: undo: mount --bind net:[$(ns_inode "$old" net)] $R/run/netns/svc" ]]
	[ "$(tree "$WS")" = "$before_tree" ]
	[ "$(mount_table)" = "$before_mounts" ]
	[ "$(stat -L -c %i "$HOSTRUN/netns/svc")" = "$(ns_inode "$host" net)" ]
	[ "$(stat -L -c %i "$R$HOSTRUN/netns/svc")" = "$(ns_inode "$old" net)" ]
}
