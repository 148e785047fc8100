#!/usr/bin/env bats
# prep-all: every phase in order, COMMAND between them, the pid read after
# it, one journal across all phases (DESIGN.md section 4, "prep-all").

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-all
	setup_workspace
	cgroup2_setup
}

teardown() {
	[ -f "${WS:-/nonexistent}/pid" ] && STARTED_PIDS+=("$(cat "$WS/pid")")
	# The kernel deletes a veth whose far end's namespace died later, on its
	# own time; delete it now so the next test's snapshot does not see it go.
	ip link del veth-svc 2>/dev/null || true
	teardown_workspace
}

# The state a failed run must leave as it found it.
snapshot() {
	echo "== mounts"
	mount_table
	echo "== tree (but the pid file COMMAND writes, and the cgroup2 mount)"
	tree "$WS" | grep -v -e ' \./pid' -e ' \./cg2/'
	echo "== cgroups"
	tree "$CGROOT"

	echo "== links"
	ip -o link | sed 's/^[0-9]*: //; s/ state .*//'
}

# A COMMAND standing in for runc create: starts the container process (new
# network namespace) and writes its pid to FILE, then exits with STATUS.
fake_runc() {
	cat >"$WS/runc-create" <<-'EOF'
	#!/bin/sh
	unshare -n sleep 1000 </dev/null >/dev/null 2>&1 &
	# As runc create, write the pid once the process is in its new namespace.
	while [ "$(readlink /proc/$!/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.01; done
	echo $! >"$1"
	# What the container sees when the runtime is done: written by the test.
	[ -n "$3" ] && ls "$3" >"$1.seen" 2>&1
	exit "${2:-0}"
	EOF
	chmod +x "$WS/runc-create"
}

full_config() {
	write_config <<-EOF
	{
	  "mounts": [{"destination": "run", "type": "tmpfs", "source": "tmpfs",
	              "options": ["nosuid", "size=1m"]}],
	  "mkdir": ["run/svc", "$WS/host-dir"],
	  "cgroups": ["svc"],
	  "interfaces": [{"name": "eth0", "peer": "veth-svc"}],
	  "bindNS": {"net": "$WS/netns/svc", "uts": "$WS/utsns/svc"}
	}
	EOF
}

@test "mounts, mkdir, cgroups, COMMAND, then interfaces and bindNS for the pid it wrote" {
	needs_applet prep-link
	needs_applet prep-bindns
	fake_runc
	full_config
	run_prepbox prep-all --cgroup-root "$CGROOT" --pid-file "$WS/pid" "$BUNDLE" -- \
		"$WS/runc-create" "$WS/pid" 0 "$WS/netns"
	[ "$status" -eq 0 ]
	pid=$(cat "$WS/pid")
	# The filesystem phase was done before COMMAND, the process phase after it.
	[ "$(mount_field "$BUNDLE/rootfs/run" 9)" = tmpfs ]
	[[ "$(mount_field "$BUNDLE/rootfs/run" 6)" == *nosuid* ]]
	[ -d "$BUNDLE/rootfs/run/svc" ] && [ -d "$WS/host-dir" ]
	[ -f "$CGROOT/svc/cgroup.procs" ]
	[[ "$(cat "$WS/pid.seen")" == *"No such file or directory"* ]]
	# The veth's container end is in the process's namespace, its peer here.
	nsenter -t "$pid" -n ip -o link show eth0 | grep -q 'eth0@'
	ip -o link show veth-svc
	[ "$(stat -L -c %i "$WS/netns/svc")" = "$(stat -L -c %i /proc/$pid/ns/net)" ]
	[ "$(stat -L -c %i "$WS/utsns/svc")" = "$(stat -L -c %i /proc/$pid/ns/uts)" ]
}

@test "a pid file COMMAND did not write is stale: exit 1, nothing bound, all undone" {
	needs_applet prep-bindns
	# An earlier container's pid file, naming a process that lives on.
	start_container -n -u
	echo "$CPID" >"$WS/pid"
	write_config <<-EOF
	{"mkdir": ["made"], "bindNS": {"net": "$WS/netns/svc"}}
	EOF
	before=$(snapshot)
	run_prepbox prep-all --pid-file "$WS/pid" "$BUNDLE" -- true
	[ "$status" -eq 1 ]
	[[ "$output" == *"prep-all: read pid file $WS/pid: true did not write it (it is as it was before it ran): the pid in it is not the container's"* ]]
	[ ! -e "$WS/netns/svc" ]
	[ "$(snapshot)" = "$before" ]
	# A touch writes no pid.
	run_prepbox prep-all --pid-file "$WS/pid" "$BUNDLE" -- touch "$WS/pid"
	[ "$status" -eq 1 ]
	[[ "$output" == *"prep-all: read pid file $WS/pid: touch did not write it"* ]]
	[ "$(snapshot)" = "$before" ]
	# Written again by COMMAND, in place and with another pid: that one is used.
	fake_runc
	run_prepbox prep-all --pid-file "$WS/pid" "$BUNDLE" -- "$WS/runc-create" "$WS/pid"
	[ "$status" -eq 0 ]
	pid=$(cat "$WS/pid")
	[ "$pid" != "$CPID" ]
	[ "$(stat -L -c %i "$WS/netns/svc")" = "$(stat -L -c %i /proc/$pid/ns/net)" ]
	kill "$pid"
}

@test "a FIFO as the pid file is not opened before COMMAND: read once COMMAND has run" {
	needs_applet prep-bindns
	start_container -n -u
	mkfifo "$WS/pid"
	write_config <<-EOF
	{"bindNS": {"uts": "$WS/uts"}}
	EOF
	# The writer waits in open(2) for a reader: prep-all, after COMMAND.
	(echo "$CPID" >"$WS/pid") &
	writer=$!
	STARTED_PIDS+=("$writer")
	run timeout 20 "$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE" -- touch "$WS/ran"
	[ "$status" -eq 0 ]
	[ -e "$WS/ran" ]
	[ "$(stat -L -c %i "$WS/uts")" = "$(stat -L -c %i /proc/$CPID/ns/uts)" ]
	wait "$writer"
}

@test "SIGTERM while the pid file (a FIFO) waits for a writer after COMMAND: the run stops and rolls back" {
	needs_applet prep-bindns
	mkfifo "$WS/pid"
	write_config <<-EOF
	{"mkdir": ["made"], "bindNS": {"uts": "$WS/uts"}}
	EOF
	: >"$WS/err"
	before=$(snapshot)
	"$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE" -- true 2>"$WS/err" &
	pb=$!
	STARTED_PIDS+=("$pb")
	for i in $(seq 200); do
		[ "$(cat "/proc/$pb/wchan" 2>/dev/null)" = wait_for_partner ] && break
		sleep 0.05
	done
	[ -d "$BUNDLE/rootfs/made" ]
	kill -TERM "$pb"
	rc=0
	wait "$pb" || rc=$?
	[ "$rc" -eq 1 ]
	grep -qx "prep-all: stopped by signal 15 (Terminated) before the pid in $WS/pid was read" "$WS/err"
	[ "$(snapshot)" = "$before" ]
}

@test "a pid file that is a stream is not read before COMMAND: its input stays COMMAND's" {
	write_config <<-'EOF'
	{"mkdir": ["made"]}
	EOF
	run bash -c 'printf "line1\n" | "$1" prep-all --pid-file /dev/stdin "$2" -- sh -c "cat >\"\$0\"" "$3"' \
		_ "$PREPBOX" "$BUNDLE" "$WS/got"
	[ "$status" -eq 0 ]
	[ "$(cat "$WS/got")" = line1 ]
	[ -d "$BUNDLE/rootfs/made" ]
}

@test "--pid: no COMMAND, the pid is checked before anything is done" {
	needs_applet prep-bindns
	start_container -n -u
	write_config <<-EOF
	{"mkdir": ["made"], "bindNS": {"uts": "$WS/uts"}}
	EOF
	run_prepbox prep-all --pid "$CPID" --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -d "$BUNDLE/rootfs/made" ]
	[ "$(stat -L -c %i "$WS/uts")" = "$(stat -L -c %i /proc/$CPID/ns/uts)" ]
	before=$(snapshot)
	run_prepbox prep-all --pid 999999999 --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$(snapshot)" = "$before" ]
}

@test "what is in the way of a bindNS path is found before anything is done: exit 2" {
	needs_applet prep-link
	needs_applet prep-bindns
	fake_runc
	full_config
	mkdir -p "$WS/utsns"
	echo precious >"$WS/utsns/svc"
	before=$(snapshot)
	run_prepbox prep-all --cgroup-root "$CGROOT" --pid-file "$WS/pid" "$BUNDLE" -- \
		"$WS/runc-create" "$WS/pid"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: .bindNS.uts ($WS/utsns/svc): mount point $WS/utsns/svc: not empty (9 bytes), left as it is: File exists" ]
	[ ! -e "$WS/pid" ]
	[ "$(snapshot)" = "$before" ]
}

@test "a config with interfaces or bindNS and no pid source is exit 2, nothing done" {
	needs_applet prep-bindns
	write_config <<-EOF
	{"mkdir": ["made"], "bindNS": {"net": "$WS/netns/x"}}
	EOF
	before=$(snapshot)
	run_prepbox prep-all --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: runtime.json asks for interfaces or bindNS: give --pid PID or --pid-file FILE" ]
	[ "$(snapshot)" = "$before" ]
}

@test "a config with neither needs no pid; COMMAND runs between the phases" {
	write_config <<-'EOF'
	{"mkdir": ["made"], "cgroups": ["svc"]}
	EOF
	run_prepbox prep-all --cgroup-root "$CGROOT" "$BUNDLE" -- sh -c 'test -d "$0/rootfs/made" && test -d "$1/svc"' "$BUNDLE" "$CGROOT"
	[ "$status" -eq 0 ]
}

@test "a COMMAND that fails rolls back the filesystem phase and says it cannot be undone" {
	needs_applet prep-link
	needs_applet prep-bindns
	fake_runc
	full_config
	before=$(snapshot)
	run_prepbox prep-all --cgroup-root "$CGROOT" --pid-file "$WS/pid" "$BUNDLE" -- \
		"$WS/runc-create" "$WS/pid" 3
	[ "$status" -eq 1 ]
	[[ "$output" == *"prep-all: $WS/runc-create $WS/pid 3: exited with status 3"* ]]
	[[ "$output" == *"prep-all: warning: $WS/runc-create ran; the rollback cannot undo what it did"* ]]
	kill "$(cat "$WS/pid")"
	[ "$(snapshot)" = "$before" ]
	[ ! -e "$CGROOT/svc" ]
}

@test "a COMMAND that cannot be run: the exec error, and a rollback" {
	write_config <<-'EOF'
	{"mkdir": ["made"]}
	EOF
	before=$(snapshot)
	run_prepbox prep-all --cgroup-root "$CGROOT" "$BUNDLE" -- /nonexistent/runc create
	[ "$status" -eq 1 ]
	[[ "$output" == "prep-all: run /nonexistent/runc create: No such file or directory"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a failure in the process phase undoes every earlier phase of the run" {
	needs_applet prep-link
	needs_applet prep-bindns
	fake_runc
	full_config
	# The uts bind cannot be made, and only making it tells: its directory
	# is read-only.
	mkdir -p "$WS/utsns"
	mount -t tmpfs -o ro utsns "$WS/utsns"
	before=$(snapshot)
	run_prepbox prep-all --cgroup-root "$CGROOT" --pid-file "$WS/pid" "$BUNDLE" -- \
		"$WS/runc-create" "$WS/pid"
	[ "$status" -eq 1 ]
	[[ "$output" == *".bindNS.uts ($WS/utsns/svc): create $WS/utsns/svc: Read-only file system"* ]]
	[[ "$output" == *"runc-create ran; the rollback cannot undo what it did"* ]]
	kill "$(cat "$WS/pid")"
	[ "$(snapshot)" = "$before" ]
	[ ! -e "$CGROOT/svc" ]
	! ip link show veth-svc 2>/dev/null
}

@test "SIGTERM while COMMAND runs: passed on to it, then the run rolls back" {
	write_config <<-'EOF'
	{"mkdir": ["made"], "cgroups": ["svc"]}
	EOF
	before=$(snapshot)
	# The command asks prep-all (its parent) to stop, then waits to be told.
	run_prepbox prep-all --cgroup-root "$CGROOT" "$BUNDLE" -- \
		sh -c 'trap "echo got TERM; exit 143" TERM; kill -TERM $PPID; sleep 5 & wait'
	[ "$status" -eq 1 ]
	[[ "$output" == *"got TERM"* ]]
	[[ "$output" == *"stopped by signal 15"* ]]
	[ "$(snapshot)" = "$before" ]
	[ ! -e "$CGROOT/svc" ]
}

@test "--dry-run plans every phase and the command, and runs nothing" {
	needs_applet prep-bindns
	start_container -n -u
	write_config <<-EOF
	{"mkdir": ["made"], "cgroups": ["svc"], "bindNS": {"uts": "$WS/uts"}}
	EOF
	before=$(snapshot)
	run --separate-stderr "$PREPBOX" prep-all -n --pid "$CPID" --cgroup-root "$CGROOT" "$BUNDLE" -- touch "$WS/ran"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir -p $BUNDLE/rootfs/made
mkdir $CGROOT/svc
touch $WS/ran
touch $WS/uts
mount --bind /proc/$CPID/ns/uts $WS/uts" ]
	[ ! -e "$WS/ran" ]
	[ "$(snapshot)" = "$before" ]
}

@test "a key whose step is not built in is refused, never skipped" {
	"$PREPBOX" --list | grep -qx prep-link && skip "this build has prep-link"
	start_container
	write_config <<-'EOF'
	{"mkdir": ["made"], "interfaces": [{"name": "eth0", "peer": "veth-x"}]}
	EOF
	run_prepbox prep-all --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: runtime.json: .interfaces: this prepbox was built without prep-link" ]
	[ ! -e "$BUNDLE/rootfs/made" ]
}
