#!/usr/bin/env bats
# End to end, with a real OCI runtime: prep-all prepares a bundle and runs
# `runc create` between its phases; the container then reports from inside
# what the config asked for; runc delete and prep-cleanup leave nothing.
# Inside the suite's throwaway namespaces, /sys/fs/cgroup is covered with a
# scratch cgroup2 subtree of the test's own, so runc's cgroups and ours are
# made (and removed) there, not in the host's hierarchy.

load ../integration/helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-all
	needs_applet prep-link
	needs_applet prep-bindns
	command -v runc >/dev/null || skip "runc is not installed (scripts/install-deps.sh e2e)"
	setup_workspace
	cgroup2_setup
	mount --bind "$CGROOT" /sys/fs/cgroup
	"$PREPBOX_SRC/scripts/make-bundle.sh" "$BUNDLE" sleep 3600
	mkdir -p "$WS/hostdata" "$WS/runc"
	echo "from the host" >"$WS/hostdata/file"
	RUNC=(runc --root "$WS/runc")
	ID=e2e-$BATS_TEST_NUMBER
	# The host already has an eth0, and a br0 of its own.
	ip link add eth0 type veth peer name eth0-peer
	ip link add br0 type bridge
	HOST_ETH0=$(cat /sys/class/net/eth0/ifindex)
	HOST_BR0=$(cat /sys/class/net/br0/ifindex)
}

teardown() {
	[ -n "${WS:-}" ] || return 0
	"${RUNC[@]}" delete -f "$ID" 2>/dev/null || true
	umount /sys/fs/cgroup 2>/dev/null || true
	ip link del eth0 2>/dev/null || true
	ip link del br0 2>/dev/null || true
	teardown_workspace
}

config() {
	write_config <<-EOF
	{
	  "mounts": [
	    {"destination": "run", "type": "tmpfs", "source": "tmpfs",
	     "options": ["nosuid", "nodev", "size=1m", "mode=755"]},
	    {"destination": "data", "type": "bind", "source": "$WS/hostdata",
	     "options": ["rbind", "ro"]}
	  ],
	  "mkdir": ["run/svc"],
	  "cgroups": ["svc"],
	  "interfaces": [
	    {"name": "eth0", "add": "veth", "peer": "veth-svc"},
	    {"name": "br0", "add": "bridge"}$1
	  ],
	  "bindNS": {"net": "$WS/netns/svc"}
	}
	EOF
}

# prep-all with runc create as COMMAND. The container inherits the standard
# streams, so they go to a file (a pipe would stay open as long as it runs).
prep_all() {
	"$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE" -- \
		"${RUNC[@]}" create --bundle "$BUNDLE" --pid-file "$WS/pid" "$ID" \
		</dev/null >"$WS/out" 2>&1
	status=$?
	output=$(cat "$WS/out")
	echo "$output"
}

# What the container itself sees, from a process run inside it.
inside() {
	"${RUNC[@]}" exec "$ID" sh -c "$1"
}

@test "runc: a container prepared by prep-all sees what the config asked for; cleanup leaves nothing" {
	config ""
	rootfs_before=$(mount_table)
	prep_all || true
	[ "$status" -eq 0 ]
	run "${RUNC[@]}" start "$ID"
	[ "$status" -eq 0 ]
	pid=$(cat "$WS/pid")

	# From inside: the links, the mounts, a write refused by the read-only bind.
	run inside 'ip -o link'
	[ "$status" -eq 0 ]
	[[ "$output" == *": eth0@"* ]]
	[[ "$output" == *": br0: "* ]]
	run inside 'cat /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	run_line=$(grep ' /run ' <<<"$output")
	[[ "$run_line" == *" - tmpfs "* ]]
	[[ "$run_line" == *"nosuid,nodev"* ]]
	data_line=$(grep ' /data ' <<<"$output")
	[[ "$(cut -d' ' -f6 <<<"$data_line")" == ro,* ]]
	run inside 'cat /data/file; echo x >/data/new'
	[ "$status" -ne 0 ]
	[[ "$output" == *"from the host"* ]]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e "$WS/hostdata/new" ]
	run inside 'test -d /run/svc && touch /run/svc/ok && echo writable'
	[ "$output" = writable ]

	# From the host: the peer, the namespace bind, the cgroup, and the
	# host's own eth0 and br0 untouched, with the same ifindex.
	ip -o link show veth-svc
	[ "$(stat -L -c %i "$WS/netns/svc")" = "$(stat -L -c %i /proc/$pid/ns/net)" ]
	[ -f /sys/fs/cgroup/svc/cgroup.procs ]
	[ "$(cat /sys/class/net/eth0/ifindex)" = "$HOST_ETH0" ]
	[ "$(cat /sys/class/net/br0/ifindex)" = "$HOST_BR0" ]

	run "${RUNC[@]}" kill "$ID" KILL
	run "${RUNC[@]}" delete -f "$ID"
	[ "$status" -eq 0 ]
	run_prepbox prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$(mounts_below "$BUNDLE/rootfs")" ]
	[ "$(mount_table | grep -v "$WS/netns/svc")" = "$rootfs_before" ]
	# The bound namespace outlives the container, with its links; unbound, it goes.
	nsenter --net="$WS/netns/svc" ip -o link show eth0
	umount "$WS/netns/svc"
	for i in $(seq 50); do ip link show veth-svc 2>/dev/null || break; sleep 0.1; done
	! ip link show veth-svc 2>/dev/null
}

@test "runc: when the last interface cannot be created, everything before it is undone" {
	# A link kind no kernel has: the kernel refuses it with its reason.
	config ', {"name": "nope0", "add": "prepbox-no-such-kind"}'
	before=$(mount_table)
	tree_before=$(tree "$BUNDLE")
	prep_all || true
	[ "$status" -eq 1 ]
	[[ "$output" == *".interfaces[2] (nope0)"* ]]
	[[ "$output" == *"runc ran; the rollback cannot undo what it did"* ]]
	pid=$(cat "$WS/pid")
	# The links made before it are gone, in the container and here.
	! nsenter -t "$pid" -n ip link show eth0 2>/dev/null
	! nsenter -t "$pid" -n ip link show br0 2>/dev/null
	! ip link show veth-svc 2>/dev/null
	[ "$(cat /sys/class/net/br0/ifindex)" = "$HOST_BR0" ]
	# So are the mounts, the directories and the cgroup made before runc ran.
	run "${RUNC[@]}" delete -f "$ID"
	[ "$(mount_table)" = "$before" ]
	[ "$(tree "$BUNDLE" | grep -v ' ./pid')" = "$tree_before" ]
	[ ! -e /sys/fs/cgroup/svc ]
	[ ! -e "$WS/netns/svc" ]
}
