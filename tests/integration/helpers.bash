# Helpers for the bats suites. tests/run.sh runs every suite as root inside
# unshare --mount --net --pid --propagation private, with /tmp a fresh tmpfs:
# mounts, links and processes made here never reach the host.
#
#   PREPBOX      the binary under test (absolute path)
#   PREPBOX_KIND dynamic or static
#   PREPBOX_SRC  the source tree

: "${PREPBOX:?run the suites through tests/run.sh, or set PREPBOX}"

# Each test: a tmpfs workspace WS holding BUNDLE=$WS/bundle with an empty rootfs.
setup_workspace() {
	WS=$(mktemp -d /tmp/ws.XXXXXX)
	mount -t tmpfs -o size=64m,mode=0755 "ws-$BATS_TEST_NUMBER" "$WS"
	BUNDLE=$WS/bundle
	mkdir -p "$BUNDLE/rootfs"
	STARTED_PIDS=()
	SCRATCH_CGROUPS=()
}

teardown_workspace() {
	local pid
	# A test that skipped in setup() before setup_workspace has nothing to undo.
	[ -n "${WS:-}" ] || return 0
	for pid in "${STARTED_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# Mounts of the test's own go first (binds of scratch cgroups keep those
	# busy), but the cgroup mounts the scratch cgroups are removed through.
	mounts_below "$WS" | sort -r | while read -r m; do
		case $m in "$WS" | "$WS/cg2" | "$WS/cpuset") ;; *) umount -l "$m" 2>/dev/null ;; esac
	done
	[ ${#SCRATCH_CGROUPS[@]} -gt 0 ] && cgroup_teardown
	umount -R "$WS" 2>/dev/null || umount -R -l "$WS"
	rmdir "$WS"
}

# needs_applet NAME: skip unless the binary under test has the applet.
needs_applet() {
	"$PREPBOX" --list | grep -qx "$1" || skip "$1 is not built into $PREPBOX"
}

# write_config FILE <<'EOF' ... : the config, from standard input.
write_config() {
	cat >"${1:-$BUNDLE/runtime.json}"
}

# mounts_below DIR: the mount points at or below DIR, from the kernel's
# mountinfo (field 5, octal escapes kept), one per line, sorted.
mounts_below() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort
}

# mount_field DIR N: field N of the top mountinfo line for mount point DIR.
mount_field() {
	awk -v d="$1" -v n="$2" '$5 == d { f = $n } END { print f }' /proc/self/mountinfo
}

# tree DIR: every path below DIR with its type and mode: the file system's
# state, to compare before and after a run.
tree() {
	(cd "$1" && find . -printf '%y %m %p -> %l\n' | sort)
}

# mount_table: the whole mount table without the per-run mount IDs, to
# compare before and after a run.
mount_table() {
	awk '{ $1 = ""; $2 = ""; print }' /proc/self/mountinfo
}

# start_container: a stand-in container process in new namespaces (network
# and the others given as unshare flags, default -n); sets CPID.
start_container() {
	unshare "${@:--n}" sleep 1000 &
	CPID=$!
	STARTED_PIDS+=("$CPID")
	# unshare execs sleep once the namespaces exist: wait for that.
	local i
	for i in $(seq 100); do
		[ "$(readlink /proc/$CPID/exe)" = "$(readlink -f "$(command -v sleep)")" ] && return 0
		sleep 0.02
	done
	echo "container process $CPID did not start" >&2
	return 1
}

# cgroup2_setup: CGROOT, a scratch cgroup of the test's own, inside a private
# cgroup2 mount ($WS/cg2). prep-cgroup gets --cgroup-root $CGROOT; the test
# makes and removes cgroups only below it. Skips when there is no cgroup2.
# The mount shows the whole hierarchy, other users' cgroups included: tests
# look only below CGROOT.
cgroup2_setup() {
	mkdir -p "$WS/cg2"
	mount -t cgroup2 none "$WS/cg2" 2>/dev/null || skip "no cgroup2 filesystem"
	CGROOT=$WS/cg2/prepbox-test.$BATS_TEST_NUMBER.$(date +%s%N).$RANDOM
	mkdir "$CGROOT"
	SCRATCH_CGROUPS+=("$CGROOT")
}

# cgroup_teardown: remove the scratch cgroups this test made (SCRATCH_CGROUPS),
# deepest first, and nothing else; then the cgroup mounts below the workspace.
cgroup_teardown() {
	local d
	for d in "${SCRATCH_CGROUPS[@]}"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	SCRATCH_CGROUPS=()
	for d in "$WS/cg2" "$WS/cpuset"; do
		mountpoint -q "$d" && umount -l "$d"
	done
	CGROOT=
}

# run_prepbox ARGS: run the binary under test (status, output as bats's run).
run_prepbox() {
	run "$PREPBOX" "$@"
}
