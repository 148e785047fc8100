#!/usr/bin/env bats
# prep-link: the four cases of DESIGN.md section 4 "interfaces" (veth, another
# kind made in the container, createInRoot then move, moving an existing
# interface), the NLM_F_EXCL cases (the host's own eth0 and br0 untouched),
# kernel refusals with their text, rollback, dry-run.
#
# Each test has two throwaway network namespaces of its own: "the host"
# (HPID, where prepbox runs, through nsenter) and the container's (CPID, the
# stand-in `unshare -n sleep`). Both go away with their processes, so not even
# the suite's namespace of tests/run.sh is touched. The kernel's view is read
# with `ip -j -d link` in each.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-link
	setup_workspace
	start_container
	HPID=$CPID
	start_container
}

teardown() {
	teardown_workspace
}

in_host() {
	nsenter -t "$HPID" -n -- "$@"
}

in_ctr() {
	nsenter -t "$CPID" -n -- "$@"
}

# run_link ARGS: prep-link in the host namespace (status, output = stdout, stderr).
run_link() {
	run --separate-stderr nsenter -t "$HPID" -n -- "$PREPBOX" prep-link "$@"
}

# link_objects PID: `ip -j -d link` of PID's namespace, one interface per line.
link_objects() {
	nsenter -t "$1" -n ip -j -d link show | sed 's/{"ifindex":/\n&/g' | grep '^{"ifindex":'
}

# links PID: "NAME KIND" for each interface of PID's namespace, sorted (KIND
# "-" when the kernel reports none, as for lo).
links() {
	local obj name kind
	link_objects "$1" | while IFS= read -r obj; do
		name=$(sed -n 's/.*"ifname":"\([^"]*\)".*/\1/p' <<<"$obj")
		kind=$(sed -n 's/.*"info_kind":"\([^"]*\)".*/\1/p' <<<"$obj")
		printf '%s %s\n' "$name" "${kind:--}"
	done | sort
}

# ns_state PID: "INDEX NAME KIND up|down" for each interface of PID's namespace.
ns_state() {
	local obj idx name kind up
	link_objects "$1" | while IFS= read -r obj; do
		idx=$(sed -n 's/^{"ifindex":\([0-9]*\),.*/\1/p' <<<"$obj")
		name=$(sed -n 's/.*"ifname":"\([^"]*\)".*/\1/p' <<<"$obj")
		kind=$(sed -n 's/.*"info_kind":"\([^"]*\)".*/\1/p' <<<"$obj")
		up=down
		grep -q '"flags":\[[^]]*"UP"' <<<"$obj" && up=up
		echo "$idx $name ${kind:--} $up"
	done | sort -n
}

# state: both namespaces in full, to compare before and after a run that must
# change nothing.
state() {
	echo "[host]"
	ns_state "$HPID"
	echo "[container]"
	ns_state "$CPID"
}

# ifindex PID NAME
ifindex() {
	nsenter -t "$1" -n ip -j link show dev "$2" | sed -n 's/^\[{"ifindex":\([0-9]*\),.*/\1/p'
}

# missing_kind: sets KIND to a link kind this kernel lacks (dummy or
# wireguard), or skips.
missing_kind() {
	local k
	for k in dummy wireguard; do
		if in_host ip link add probe0 type "$k" 2>/dev/null; then
			in_host ip link del probe0
		else
			KIND=$k
			return 0
		fi
	done
	skip "this kernel has both dummy and wireguard: no missing link kind to test"
}

needs_kind() {
	in_host ip link add "probe-$1" type "$1" 2>/dev/null || skip "no $1 links in this kernel"
	in_host ip link del "probe-$1"
}

@test "veth: NAME in the container and PEER in the host, while the host has its own eth0" {
	in_host ip link add eth0 type bridge
	host_eth0=$(ifindex "$HPID" eth0)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "add": "veth", "peer": "veth-a"},
	                {"name": "eth1", "peer": "veth-b"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(links "$HPID")" = "eth0 bridge
lo -
veth-a veth
veth-b veth" ]
	[ "$(links "$CPID")" = "eth0 veth
eth1 veth
lo -" ]
	# The host's eth0 is the one it had.
	[ "$(ifindex "$HPID" eth0)" = "$host_eth0" ]
	# The two ends are one pair: the container's eth0 links to the host's veth-a.
	in_ctr ip -j link show dev eth0 | grep -q "\"link_index\":$(ifindex "$HPID" veth-a),"
	in_host ip -j link show dev veth-a | grep -q "\"link_index\":$(ifindex "$CPID" eth0),"
}

@test "another kind is made in the container; the host's own br0 stays, same ifindex" {
	needs_kind ifb
	in_host ip link add br0 type bridge
	host_br0=$(ifindex "$HPID" br0)
	write_config <<-'EOF'
	{"interfaces": [{"name": "br0", "add": "bridge"}, {"name": "ifb1", "add": "ifb"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(links "$HPID")" = "br0 bridge
lo -" ]
	[ "$(ifindex "$HPID" br0)" = "$host_br0" ]
	[ "$(links "$CPID")" = "br0 bridge
ifb1 ifb
lo -" ]
}

@test "createInRoot: made in the host namespace, then moved into the container (-v says both)" {
	needs_kind ifb
	write_config <<-'EOF'
	{"interfaces": [{"name": "ifb0", "add": "ifb", "createInRoot": true}]}
	EOF
	run_link -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-link: ip link add name ifb0 type ifb
prep-link: ip link set ifb0 netns $CPID" ]
	[ "$(links "$HPID")" = "lo -" ]
	[ "$(links "$CPID")" = "ifb0 ifb
lo -" ]
}

@test "no add: the host's existing interfaces are moved into the container" {
	needs_kind ifb
	in_host ip link add ifbm type ifb
	in_host ip link add mv0 type veth peer name mv0p
	write_config <<-'EOF'
	{"interfaces": [{"name": "ifbm"}, {"name": "mv0"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(links "$HPID")" = "lo -
mv0p veth" ]
	[ "$(links "$CPID")" = "ifbm ifb
lo -
mv0 veth" ]
}

@test "moving a bridge fails, saying a bridge cannot change namespace; the run is rolled back" {
	in_host ip link add br0 type bridge
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}, {"name": "br0"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "prep-link: .interfaces[1] (br0): move br0 into the container: a bridge cannot change network namespace: Invalid argument"* ]]
	[ "$(state)" = "$before" ]
	[ "$(links "$HPID")" = "br0 bridge
lo -" ]
}

@test "a link kind the kernel lacks fails with the kernel's reason, and everything before it is undone" {
	needs_kind ifb
	missing_kind
	in_host ip link add ifbm type ifb
	in_host ip link set ifbm up
	in_host ip link add br0 type bridge
	before=$(state)
	write_config <<-EOF
	{"interfaces": [{"name": "eth0", "peer": "veth-a"},
	                {"name": "br0", "add": "bridge"},
	                {"name": "ifbm"},
	                {"name": "ifb0", "add": "ifb", "createInRoot": true},
	                {"name": "k0", "add": "$KIND"}]}
	EOF
	run_link -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	grep -qx "prep-link: .interfaces\[4\] (k0): create $KIND k0 in the container: Operation not supported (kernel: Unknown device type)" <<<"$stderr"
	# Undone newest first; the moved ifbm is back, up as it was, same index
	# (its index was taken in the container, by eth0: the kernel renumbered it).
	[[ "$stderr" == *"prep-link: undo: delete ifb0 in the container
prep-link: undo: move ifbm back to the host namespace
prep-link: undo: delete br0 in the container
prep-link: undo: delete veth-a in the host namespace" ]]
	[ "$(state)" = "$before" ]
}

@test "rollback needs no live container: its namespace is kept by prepbox's own socket" {
	needs_kind ifb
	missing_kind
	command -v strace >/dev/null || skip "no strace to stop prepbox before its undo"
	in_host ip link add ifbm type ifb
	in_host ip link set ifbm up
	host_before=$(ns_state "$HPID")
	write_config <<-EOF
	{"interfaces": [{"name": "ifbm"}, {"name": "k0", "add": "$KIND"}]}
	EOF
	# The undo alone opens /proc/self/ns/net a second time: prepbox stops there.
	# (Every syscall-stop under strace also reads as state "t": wait for strace
	# to say the SIGSTOP took hold.)
	# LeakSanitizer cannot run under ptrace: a sanitized build checks leaks elsewhere.
	ASAN_OPTIONS=detect_leaks=0 nsenter -t "$HPID" -n -- strace -f -o "$WS/strace" -e trace=openat -P /proc/self/ns/net \
		-e inject=openat:signal=SIGSTOP:when=2 "$PREPBOX" prep-link --pid "$CPID" "$BUNDLE" \
		2>"$WS/err" &
	tracer=$!
	STARTED_PIDS+=("$tracer")
	for i in $(seq 400); do
		grep -q -- '--- stopped by SIGSTOP ---' "$WS/strace" 2>/dev/null && break
		sleep 0.05
	done
	grep -q -- '--- stopped by SIGSTOP ---' "$WS/strace"
	pb=$(pgrep -P "$tracer")
	# Now the container process ends, before anything is moved back.
	in_ctr ip -o link show dev ifbm
	kill "$CPID"
	wait "$CPID" || true
	[ ! -e "/proc/$CPID" ]
	kill -CONT "$pb"
	rc=0
	wait "$tracer" || rc=$?
	[ "$rc" -eq 1 ]
	grep -q "create $KIND k0 in the container: Operation not supported" "$WS/err"
	# ifbm is back in the host, up, with its index: as before the run.
	[ "$(ns_state "$HPID")" = "$host_before" ]
}

@test "each action failing in turn leaves both namespaces as they were (fault-injection builds)" {
	needs_kind ifb
	in_host ip link add ifbm type ifb
	in_host ip link set ifbm up
	in_host ip link add br0 type bridge
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"},
	                {"name": "br0", "add": "bridge"},
	                {"name": "ifbm"},
	                {"name": "ifb0", "add": "ifb", "createInRoot": true}]}
	EOF
	failed=0
	for n in 1 2 3 4 5 6 7; do
		PREPBOX_FAIL_AT=$n run_link --pid "$CPID" "$BUNDLE"
		[ "$status" -eq 0 ] && break
		[ "$status" -eq 1 ]
		[[ "$stderr" == *"injected fault at action $n"* ]]
		[ "$(state)" = "$before" ]
		failed=$n
	done
	[ "$failed" -gt 0 ] || skip "$PREPBOX was built without FAULT_INJECTION=1"
	# Five actions: veth, bridge, move, create ifb0, move ifb0; the sixth run went through.
	[ "$failed" -eq 5 ]
	[ "$(links "$CPID")" = "br0 bridge
eth0 veth
ifb0 ifb
ifbm ifb
lo -" ]
}

@test "SIGTERM during a run stops it before the next action and rolls back" {
	needs_kind ifb
	command -v strace >/dev/null || skip "no strace to deliver the signal mid-run"
	in_host ip link add ifbm type ifb
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}, {"name": "ifbm"},
	                {"name": "br0", "add": "bridge"}]}
	EOF
	# SIGTERM arrives as the second request goes out; it completes, nothing more starts.
	ASAN_OPTIONS=detect_leaks=0 run --separate-stderr nsenter -t "$HPID" -n -- strace -f -o /dev/null -e trace=sendto \
		-e inject=sendto:signal=SIGTERM:when=2 "$PREPBOX" prep-link -v --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"stopped by signal 15 (Terminated) before: "* ]]
	[[ "$stderr" == *"undo: delete veth-a in the host namespace"* ]]
	[ "$(state)" = "$before" ]
}

@test "createInRoot whose name is taken in the container: the move fails and the link made in the host is deleted" {
	needs_kind ifb
	in_ctr ip link add ifb0 type ifb
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "ifb0", "add": "ifb", "createInRoot": true}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "prep-link: .interfaces[0] (ifb0): move ifb0 into the container: the container has an interface ifb0 already: File exists"* ]]
	[ "$(state)" = "$before" ]
}

@test "a veth whose peer name the host has already: refused before anything, naming it" {
	in_host ip link add veth-a type bridge
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "br1", "add": "bridge"}, {"name": "eth0", "peer": "veth-a"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-link: .interfaces[1] (eth0): veth-a is taken in the host namespace, where the veth's peer is made: File exists" ]
	[ "$(state)" = "$before" ]
}

@test "what earlier entries do to the host's names counts before anything is done: a peer made twice, a link moved twice" {
	in_host ip link add hostv type veth peer name hostv-p
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}, {"name": "eth1", "peer": "veth-a"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-link: .interfaces[1] (eth1): veth-a is taken in the host namespace (after .interfaces[0]), where the veth's peer is made: File exists" ]
	[ "$(state)" = "$before" ]
	write_config <<-'EOF'
	{"interfaces": [{"name": "hostv"}, {"name": "eth0", "peer": "p0"}, {"name": "hostv"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "prep-link: .interfaces[2] (hostv): there is no hostv in the host namespace to move (after .interfaces[0]): "* ]]
	[ "$(state)" = "$before" ]
	# made by a peer and moved by a later entry: fine
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "p0"}, {"name": "p0"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	in_ctr ip link show p0 >/dev/null
	! in_host ip link show p0 2>/dev/null
}

@test "a name an earlier entry moves away may be made again in the host" {
	in_host ip link add mv1 type veth peer name mv1p
	write_config <<-'EOF'
	{"interfaces": [{"name": "mv1"}, {"name": "eth9", "peer": "mv1"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	in_ctr ip link show mv1 >/dev/null
	in_host ip link show mv1 >/dev/null
	in_ctr ip link show eth9 >/dev/null
}

@test "an interface name over 15 bytes is a config error: exit 2, nothing done" {
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}, {"name": "a23456789012345x", "add": "bridge"}]}
	EOF
	run_link --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "prep-link: runtime.json: .interfaces[1].name: "*15* ]]
	[ "$(state)" = "$before" ]
}

@test "--dry-run prints the plan in ip(8) words and changes nothing" {
	in_host ip link add mv0 type veth peer name mv0p
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"},
	                {"name": "br0", "add": "bridge"},
	                {"name": "wg0", "add": "wireguard", "createInRoot": true},
	                {"name": "mv0"}]}
	EOF
	run_link -n --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "ip link add veth-a type veth peer name eth0 netns $CPID
ip link add name br0 netns $CPID type bridge
ip link add name wg0 type wireguard
ip link set wg0 netns $CPID
ip link set mv0 netns $CPID" ]
	[ "$(state)" = "$before" ]
}

@test "--no-rollback leaves what was made" {
	missing_kind
	write_config <<-EOF
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}, {"name": "k0", "add": "$KIND"}]}
	EOF
	run_link --no-rollback --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"left in place"* ]]
	[ "$(links "$HPID")" = "lo -
veth-a veth" ]
	[ "$(links "$CPID")" = "eth0 veth
lo -" ]
}

@test "--pid-file names the process; -c without BUNDLE" {
	echo "$CPID" >"$WS/pid"
	echo '{"interfaces": [{"name": "eth0", "peer": "veth-a"}]}' >"$WS/conf.json"
	run_link --pid-file "$WS/pid" -c "$WS/conf.json"
	[ "$status" -eq 0 ]
	[ "$(links "$CPID")" = "eth0 veth
lo -" ]
}

@test "a pid in prepbox's own network namespace: links are made there, moves do nothing" {
	in_host ip link add mv0 type veth peer name mv0p
	mv0=$(ifindex "$HPID" mv0)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}, {"name": "br0", "add": "bridge"},
	                {"name": "mv0"}]}
	EOF
	run_link -n --pid "$HPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "ip link add veth-a type veth peer name eth0
ip link add name br0 type bridge" ]
	run_link --pid "$HPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(links "$HPID")" = "br0 bridge
eth0 veth
lo -
mv0 veth
mv0p veth
veth-a veth" ]
	[ "$(ifindex "$HPID" mv0)" = "$mv0" ]
	# A move of an interface that is not there is still an error.
	echo '{"interfaces": [{"name": "nope0"}]}' >"$WS/conf.json"
	run_link --pid "$HPID" -c "$WS/conf.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-link: .interfaces[0] (nope0): there is no nope0 in the host namespace to move: No such device" ]
}

@test "no pid, a dead pid, or a bad pid file: exit 2 before anything is done" {
	before=$(state)
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth0", "peer": "veth-a"}]}
	EOF
	run_link "$BUNDLE"
	[ "$status" -eq 2 ]
	sleep 0 &
	dead=$!
	wait $dead
	run_link --pid "$dead" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"No such process"* ]]
	echo "x$CPID" >"$WS/pid"
	run_link --pid-file "$WS/pid" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$(state)" = "$before" ]
}

@test "a config without interfaces does nothing, even without a usable namespace" {
	before=$(state)
	echo '{"cgroups": ["x"]}' >"$WS/conf.json"
	run_link --pid "$CPID" -c "$WS/conf.json"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(state)" = "$before" ]
}
