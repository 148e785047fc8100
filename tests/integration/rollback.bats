#!/usr/bin/env bats
# Rollback at every step (DESIGN.md section 4, "Rollback"): prep-all on a
# config that touches every phase, made to fail at action i for every i from
# 1 to K (a fault-injection build, PREPBOX_FAIL_AT=i, fails the i-th action
# with EIO before doing it), and at the natural failures the kernel gives
# (an unknown filesystem type, a link kind it lacks, a name that exists).
# After each failed run, the kernel's state must be exactly as before: the
# mount table, the links of both network namespaces, the cgroup tree, the
# files under the workspace.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-all
	needs_applet prep-bindns
	setup_workspace
	cgroup2_setup
	SRC=$WS/src
	mkdir -p "$SRC/dir"
	echo source >"$SRC/file"
	start_container -n -u
}

teardown() {
	ip link del veth-rb 2>/dev/null || true
	teardown_workspace
}

# The state a failed run must leave as it found it. The workspace's files
# without the cgroup2 mount (the whole hierarchy, where other tests on the
# machine come and go), whose scratch cgroup is listed on its own.
snapshot() {
	echo "== mounts (without IDs)"
	mount_table
	echo "== links here"
	ip -o -d link
	echo "== links in the container"
	nsenter -t "$CPID" -n ip -o -d link
	echo "== cgroups"
	tree "$CGROOT"
	echo "== files"
	tree "$WS" | awk '$3 != "./cg2" && index($3, "./cg2/") != 1'
}

# The config: every phase, with more than one action in most. A tmpfs and a
# read-only bind (mount, then remount: two actions), directories inside a
# new mount and on the host, a cgroup with a parent, a veth (its peer here)
# and a bridge made in the container, and bindNS net and uts.
full_config() {
	write_config <<-EOF
	{
	  "mounts": [
	    {"destination": "run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "size=1m"]},
	    {"destination": "data", "source": "$SRC", "options": ["bind", "ro"]}
	  ],
	  "mkdir": ["run/svc", "$WS/host/dir"],
	  "cgroups": ["svc/inner"],
	  "interfaces": [{"name": "eth0", "peer": "veth-rb"}, {"name": "br-rb", "add": "bridge"}],
	  "bindNS": {"net": "$WS/ns/net", "uts": "$WS/ns/uts"}
	}
	EOF
}

prep_all() {
	run "$PREPBOX" prep-all --pid "$CPID" --cgroup-root "$CGROOT" "$@" "$BUNDLE"
}

# fault_injection_build: skip unless PREPBOX_FAIL_AT works in this build.
fault_injection_build() {
	write_config <<-'EOF'
	{"mkdir": ["probe"]}
	EOF
	run env PREPBOX_FAIL_AT=1 "$PREPBOX" prep-mount "$BUNDLE"
	rmdir "$BUNDLE/rootfs/probe" 2>/dev/null || true
	[[ $output == *"injected fault at action 1"* ]] ||
		skip "$PREPBOX is not a fault-injection build (make FAULT_INJECTION=1)"
}

# done_state: what a successful run of full_config leaves, checked in the kernel.
done_state() {
	[ "$(mount_field "$BUNDLE/rootfs/run" 9)" = tmpfs ]
	[[ ",$(mount_field "$BUNDLE/rootfs/data" 6)," == *,ro,* ]]
	[ -d "$BUNDLE/rootfs/run/svc" ] && [ -d "$WS/host/dir" ]
	[ -d "$CGROOT/svc/inner" ]
	ip -o link show veth-rb
	nsenter -t "$CPID" -n ip -o link show eth0
	nsenter -t "$CPID" -n ip -d -o link show br-rb | grep -q ' bridge '
	[ "$(stat -L -c %i "$WS/ns/net")" = "$(stat -L -c %i /proc/$CPID/ns/net)" ]
	[ "$(stat -L -c %i "$WS/ns/uts")" = "$(stat -L -c %i /proc/$CPID/ns/uts)" ]
}

@test "every action 1..K of a full prep-all fails in turn: each run leaves everything as it was" {
	needs_applet prep-link
	fault_injection_build
	full_config
	before=$(snapshot)
	i=0
	while :; do
		i=$((i + 1))
		[ "$i" -le 100 ]
		PREPBOX_FAIL_AT=$i prep_all
		[ "$status" -eq 0 ] && break
		echo "action $i: $output"
		[ "$status" -eq 1 ]
		[[ $output == *"injected fault at action $i"* ]]
		after=$(snapshot)
		if [ "$after" != "$before" ]; then
			diff <(echo "$before") <(echo "$after") || true
			false
		fi
	done
	K=$((i - 1))
	echo "K=$K"; echo "# K=$K" >&3
	done_state
	# Undone by hand, the same run with -v says K actions, one line each.
	"$PREPBOX" prep-cleanup "$BUNDLE"
	umount "$WS/ns/net" "$WS/ns/uts"
	rm -r "$WS/ns" "$WS/host" "$BUNDLE/rootfs/run" "$BUNDLE/rootfs/data"
	find "$CGROOT/svc" -depth -type d -exec rmdir {} +
	ip link del veth-rb
	nsenter -t "$CPID" -n ip link del br-rb
	after=$(snapshot)
	diff <(echo "$before") <(echo "$after")
	PREPBOX_FAIL_AT=0 prep_all -v
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq "$K" ]
	# Every phase is in the K: 2 mounts + 1 remount, mkdir (rootfs/run/svc,
	# host, host/dir), 2 cgroups, 2 links, 2 files and 2 binds at least.
	[ "$K" -ge 16 ]
}

@test "natural failure in the mount phase (an unknown filesystem type) undoes the mounts before it" {
	# no interfaces: this one runs with builds without prep-link too
	write_config <<-EOF
	{
	  "mounts": [
	    {"destination": "run", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]},
	    {"destination": "data", "source": "$SRC", "options": ["bind", "ro"]},
	    {"destination": "bad", "type": "nosuchfs", "source": "none"}
	  ],
	  "mkdir": ["run/svc"],
	  "cgroups": ["svc"],
	  "bindNS": {"net": "$WS/ns/net"}
	}
	EOF
	before=$(snapshot)
	prep_all
	[ "$status" -eq 1 ]
	[ "$output" = "prep-all: .mounts[2] (bad): mount -t nosuchfs none $BUNDLE/rootfs/bad: No such device" ]
	[ "$(snapshot)" = "$before" ]
}

@test "natural failure in the link phase (a kind the kernel lacks) undoes every earlier phase" {
	needs_applet prep-link
	ip link add rb-probe type dummy 2>/dev/null && { ip link del rb-probe; skip "this kernel has dummy"; }
	full_config
	# the bridge becomes a dummy, which this kernel cannot make
	sed -i 's/"add": "bridge"/"add": "dummy"/' "$BUNDLE/runtime.json"
	before=$(snapshot)
	prep_all
	[ "$status" -eq 1 ]
	[ "$output" = "prep-all: .interfaces[1] (br-rb): create dummy br-rb in the container: Operation not supported (kernel: Unknown device type)" ]
	[ "$(snapshot)" = "$before" ]
	! ip link show veth-rb 2>/dev/null
}

@test "natural failure in the link phase (a name the container has) leaves that link alone" {
	needs_applet prep-link
	# Only making it tells (the check before acting sees the host only).
	nsenter -t "$CPID" -n ip link add br-rb type bridge
	full_config
	before=$(snapshot)
	prep_all
	[ "$status" -eq 1 ]
	[ "$output" = "prep-all: .interfaces[1] (br-rb): create bridge br-rb in the container: br-rb is taken in the container: File exists" ]
	[ "$(snapshot)" = "$before" ]
	nsenter -t "$CPID" -n ip -o link show br-rb
}

@test "a peer name the host has already is refused before anything is done" {
	needs_applet prep-link
	ip link add veth-rb type veth peer name veth-rb-other
	full_config
	before=$(snapshot)
	prep_all
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: .interfaces[0] (eth0): veth-rb is taken in the host namespace, where the veth's peer is made: File exists" ]
	[ "$(snapshot)" = "$before" ]
	ip -o link show veth-rb-other
	ip link del veth-rb
}

@test "natural failure in the bindNS phase (a read-only file system) undoes links, cgroups and mounts" {
	needs_applet prep-link
	full_config
	# the uts bind's file cannot be made; the net bind before it was
	mkdir -p "$WS/ro"
	mount -t tmpfs -o ro rb-ro "$WS/ro"
	sed -i "s|\"uts\": \"$WS/ns/uts\"|\"uts\": \"$WS/ro/uts\"|" "$BUNDLE/runtime.json"
	grep -q "$WS/ro/uts" "$BUNDLE/runtime.json"
	before=$(snapshot)
	prep_all
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$output" = "prep-all: .bindNS.uts ($WS/ro/uts): create $WS/ro/uts: Read-only file system" ]
	[ "$(snapshot)" = "$before" ]
}

@test "the snapshot sees every kind of change: --no-rollback at the last action leaves each" {
	needs_applet prep-link
	fault_injection_build
	full_config
	before=$(snapshot)
	# the last action is the uts bind: everything before it stays
	PREPBOX_FAIL_AT=17 prep_all --no-rollback
	[ "$status" -eq 1 ]
	[[ $output == *"injected fault at action 17"* ]] || skip "K is not 17 here: $output"
	[[ $output == *"--no-rollback: "*" changes of this run left in place"* ]]
	after=$(snapshot)
	# section SECTION SNAPSHOT: the lines of one "== SECTION" of a snapshot
	section() {
		awk -v s="== $1" '/^== / { on = index($0, s) == 1; next } on' <<<"$2"
	}
	for s in "mounts" "links here" "links in the container" "cgroups" "files"; do
		[ "$(section "$s" "$before")" != "$(section "$s" "$after")" ]
	done
}
