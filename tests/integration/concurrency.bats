#!/usr/bin/env bats
# Concurrency: eight prep-all runs at once, on eight bundles, each against
# its own container process, as a boot starting eight services in parallel
# does. Every run must succeed and each must get exactly its own state: its
# mounts in its own rootfs, its links in its own container's namespace (and
# its veth peer here), its cgroup, its namespaces bound at its own paths.
# The configs share parents (a cgroup, a host directory, the bindNS
# directory) so that the runs race to create them.

load helpers

N=8

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-all
	needs_applet prep-link
	needs_applet prep-bindns
	setup_workspace
	cgroup2_setup
	mkdir -p "$WS/src"
	echo source >"$WS/src/file"
}

teardown() {
	local i
	for i in $(seq "$N"); do
		ip link del "veth-cc$i" 2>/dev/null || true
	done
	teardown_workspace
}

# config I: service I's runtime.json in bundle B$I.
config() {
	local i=$1
	mkdir -p "$WS/b$i/rootfs"
	write_config "$WS/b$i/runtime.json" <<-EOF
	{
	  "mounts": [
	    {"destination": "run", "type": "tmpfs", "source": "svc$i", "options": ["nosuid", "size=1m"]},
	    {"destination": "data", "source": "$WS/src", "options": ["bind", "ro"]}
	  ],
	  "mkdir": ["run/svc$i", "$WS/shared/host$i"],
	  "cgroups": ["services/svc$i"],
	  "interfaces": [{"name": "eth0", "peer": "veth-cc$i"}, {"name": "br0", "add": "bridge"}],
	  "bindNS": {"net": "$WS/ns/net$i", "uts": "$WS/ns/uts$i"}
	}
	EOF
}

# mount_source DIR: the source of the top mount on DIR (the field after the
# filesystem type, past the optional fields' "-").
mount_source() {
	awk -v d="$1" '$5 == d { for (i = 7; $i != "-"; i++); f = $(i + 2) } END { print f }' \
		/proc/self/mountinfo
}

# links_in PID: the names of the links in PID's network namespace, sorted.
links_in() {
	nsenter -t "$1" -n ip -o link | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort
}

@test "8 prep-all at once on 8 bundles: all succeed, each gets exactly its own state" {
	local i pids=() cpids=() rc
	for i in $(seq "$N"); do
		config "$i"
		start_container -n -u
		cpids[i]=$CPID
	done
	links_before=$(ip -o link | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort)

	for i in $(seq "$N"); do
		"$PREPBOX" prep-all --pid "${cpids[i]}" --cgroup-root "$CGROOT" "$WS/b$i" \
			>"$WS/out$i" 2>&1 &
		pids[i]=$!
	done
	for i in $(seq "$N"); do
		rc=0
		wait "${pids[i]}" || rc=$?
		echo "run $i: status $rc: $(cat "$WS/out$i")"
		[ "$rc" -eq 0 ]
		[ ! -s "$WS/out$i" ]
	done

	# Here: the eight veth peers and nothing else new.
	expected=$( (echo "$links_before"; for i in $(seq "$N"); do echo "veth-cc$i"; done) | sort)
	[ "$(ip -o link | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort)" = "$expected" ]

	for i in $(seq "$N"); do
		cpid=${cpids[i]}
		# its namespace: exactly lo, its eth0 and its bridge
		[ "$(links_in "$cpid")" = "$(printf '%s\n' br0 eth0 lo)" ]
		# whose eth0 is the far end of its own veth-ccI
		peer=$(nsenter -t "$cpid" -n ip -o link show eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
		[ "$(ip -o link show veth-cc$i | cut -d: -f1)" = "$peer" ]
		# its mounts, in its rootfs only: its own tmpfs, its bind
		[ "$(mounts_below "$WS/b$i/rootfs")" = "$(printf '%s\n' "$WS/b$i/rootfs/data" "$WS/b$i/rootfs/run")" ]
		[ "$(mount_source "$WS/b$i/rootfs/run")" = "svc$i" ]
		[ -d "$WS/b$i/rootfs/run/svc$i" ]
		[ "$(ls "$WS/b$i/rootfs/run")" = "svc$i" ]
		[ -d "$WS/shared/host$i" ]
		# its cgroup
		[ -f "$CGROOT/services/svc$i/cgroup.procs" ]
		# its namespaces, bound at its paths
		[ "$(stat -L -c %i "$WS/ns/net$i")" = "$(stat -L -c %i /proc/$cpid/ns/net)" ]
		[ "$(stat -L -c %i "$WS/ns/uts$i")" = "$(stat -L -c %i /proc/$cpid/ns/uts)" ]
	done
	[ "$(ls "$CGROOT/services" | grep -c '^svc')" -eq "$N" ]
	[ "$(ls "$WS/shared" | wc -l)" -eq "$N" ]
	[ "$(ls "$WS/ns" | wc -l)" -eq $((2 * N)) ]
	# one bind per bindNS path, none stacked
	[ "$(mounts_below "$WS/ns" | wc -l)" -eq $((2 * N)) ]
	[ "$(mounts_below "$WS/ns" | sort -u | wc -l)" -eq $((2 * N)) ]
}

@test "8 prep-all at once where one fails: it rolls back its own state, the others keep theirs" {
	local i pids=() cpids=() rc
	for i in $(seq "$N"); do
		config "$i"
		start_container -n -u
		cpids[i]=$CPID
	done
	# Run 5's uts bind cannot be made: its file would be on a read-only file
	# system, which only the kernel finds out, at its last action. The shared
	# parents are there before: were run 5 the one to make one, its rollback
	# could remove it (empty) while another run is about to make its own
	# directory in it, which is a race of the config, not a bug.
	mkdir -p "$WS/ns" "$WS/shared" "$CGROOT/services" "$WS/ro"
	mount -t tmpfs -o ro cc-ro "$WS/ro"
	sed -i "s|$WS/ns/uts5|$WS/ro/uts5|" "$WS/b5/runtime.json"

	for i in $(seq "$N"); do
		"$PREPBOX" prep-all --pid "${cpids[i]}" --cgroup-root "$CGROOT" "$WS/b$i" \
			>"$WS/out$i" 2>&1 &
		pids[i]=$!
	done
	for i in $(seq "$N"); do
		rc=0
		wait "${pids[i]}" || rc=$?
		echo "run $i: status $rc: $(cat "$WS/out$i")"
		if [ "$i" -eq 5 ]; then
			[ "$rc" -eq 1 ]
			[ "$(cat "$WS/out$i")" = "prep-all: .bindNS.uts ($WS/ro/uts5): create $WS/ro/uts5: Read-only file system" ]
		else
			[ "$rc" -eq 0 ]
		fi
	done
	# run 5 left nothing of its own; the shared parents stay for the others
	[ -z "$(mounts_below "$WS/b5/rootfs")" ]
	[ -z "$(ls "$WS/b5/rootfs")" ]
	[ ! -e "$WS/shared/host5" ] && [ ! -e "$CGROOT/services/svc5" ]
	[ ! -e "$WS/ns/net5" ] && [ ! -e "$WS/ro/uts5" ]
	! ip link show veth-cc5 2>/dev/null
	[ "$(links_in "${cpids[5]}")" = lo ]
	for i in 1 2 3 4 6 7 8; do
		[ "$(links_in "${cpids[i]}")" = "$(printf '%s\n' br0 eth0 lo)" ]
		[ "$(mount_source "$WS/b$i/rootfs/run")" = "svc$i" ]
		[ -d "$WS/shared/host$i" ] && [ -d "$CGROOT/services/svc$i" ]
		[ "$(stat -L -c %i "$WS/ns/uts$i")" = "$(stat -L -c %i /proc/${cpids[i]}/ns/uts)" ]
	done
}
