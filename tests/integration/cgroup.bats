#!/usr/bin/env bats
# prep-cgroup: v2, v1 and hybrid roots, the v1 cpuset copy, dry-run, rollback.
# v2 cgroups are made below a scratch cgroup of the test's own (cgroup2_setup);
# v1 and hybrid layouts are a tmpfs of hierarchy directories, as on a host,
# each hierarchy a scratch cgroup of the test's own bound there (v1_root).

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-cgroup
	setup_workspace
}

teardown() {
	teardown_workspace
}

# v1_root: CGV1, a cgroup root laid out like a v1 host: a tmpfs whose
# hierarchy directories are cgroup filesystems (each a scratch cgroup of the
# test's own, in the private cgroup2 mount, bound there as HIER[name]),
# beside an alias symlink, a plain directory and a file, which are none.
v1_root() {
	cgroup2_setup
	CGV1=$WS/v1
	mkdir -p "$CGV1"
	mount -t tmpfs -o mode=0755 cgroup-v1 "$CGV1"
	declare -gA HIER
	for h in "cpu,cpuacct" memory pids; do
		HIER[$h]=$CGROOT/h-$h
		mkdir "${HIER[$h]}" "$CGV1/$h"
		mount --bind "${HIER[$h]}" "$CGV1/$h"
	done
	mkdir "$WS/elsewhere" "$CGV1/plain"
	ln -s "cpu,cpuacct" "$CGV1/cpu"
	ln -s "$WS/elsewhere" "$CGV1/alias-outside"
	echo "not a hierarchy" >"$CGV1/README"
}

@test "v2: the cgroup and its parents are made under the cgroup2 root" {
	cgroup2_setup
	write_config <<-'EOF'
	{"cgroups": ["svc", "a/b/c", "/lead"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# The kernel made them cgroups: each has its own cgroup.procs.
	[ -f "$CGROOT/svc/cgroup.procs" ]
	[ -f "$CGROOT/a/cgroup.procs" ]
	[ -f "$CGROOT/a/b/c/cgroup.procs" ]
	[ -f "$CGROOT/lead/cgroup.procs" ]
}

@test "v2: a process can be moved into the new cgroup" {
	cgroup2_setup
	write_config <<-'EOF'
	{"cgroups": ["svc"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	sleep 1000 &
	STARTED_PIDS+=($!)
	echo $! >"$CGROOT/svc/cgroup.procs"
	grep -qx "$!" "$CGROOT/svc/cgroup.procs"
	kill $!
	wait $! || true
}

@test "v2: an existing cgroup is fine and a second run changes nothing" {
	cgroup2_setup
	mkdir "$CGROOT/svc"
	write_config <<-'EOF'
	{"cgroups": ["svc", "new"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	before=$(tree "$CGROOT")
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(tree "$CGROOT")" = "$before" ]
}

@test "v2: a failing cgroup rolls back the ones this run made, not the others" {
	cgroup2_setup
	mkdir "$CGROOT/old"
	# The kernel refuses a third cgroup below the scratch root.
	echo 2 >"$CGROOT/cgroup.max.descendants"
	before=$(tree "$CGROOT")
	write_config <<-'EOF'
	{"cgroups": ["old", "first", "second"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cgroup second: mkdir $CGROOT/second: Resource temporarily unavailable"* ]]
	[ ! -e "$CGROOT/first" ]
	[ -d "$CGROOT/old" ]
	[ "$(tree "$CGROOT")" = "$before" ]
}

@test "v2: a name that is a control file is no cgroup: refused, not taken for one that exists" {
	cgroup2_setup
	write_config <<-'EOF'
	{"cgroups": ["made", "cgroup.procs"]}
	EOF
	before=$(tree "$CGROOT")
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 1 ]
	[ "$output" = "prep-cgroup: cgroup cgroup.procs: $CGROOT/cgroup.procs exists and is not a cgroup: Not a directory" ]
	[ "$(tree "$CGROOT")" = "$before" ]
}

@test "v2: --no-rollback leaves what was made" {
	cgroup2_setup
	echo 1 >"$CGROOT/cgroup.max.descendants"
	write_config <<-'EOF'
	{"cgroups": ["first", "second"]}
	EOF
	run_prepbox prep-cgroup --no-rollback --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$output" == *"left in place"* ]]
	[ -d "$CGROOT/first" ]
	rmdir "$CGROOT/first"
}

@test "v1: the cgroup is made under every hierarchy; aliases, plain directories and files are not" {
	v1_root
	write_config <<-'EOF'
	{"cgroups": ["svc/x"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGV1" "$BUNDLE"
	[ "$status" -eq 0 ]
	for h in "cpu,cpuacct" memory pids; do
		[ -f "$CGV1/$h/svc/x/cgroup.procs" ]
	done
	# Nothing was made through the symlinks, nor in what is no hierarchy.
	[ -z "$(ls -A "$WS/elsewhere")" ]
	[ -z "$(ls -A "$CGV1/plain")" ]
	[ -L "$CGV1/cpu" ]
	[ "$(ls "$CGV1" | sort | tr '\n' ' ')" = "README alias-outside cpu cpu,cpuacct memory pids plain " ]
}

@test "v1: a hierarchy that refuses is a warning; the others still get the cgroup" {
	v1_root
	echo 0 >"${HIER[memory]}/cgroup.max.descendants"
	write_config <<-'EOF'
	{"cgroups": ["svc/x"]}
	EOF
	run --separate-stderr "$PREPBOX" prep-cgroup --cgroup-root "$CGV1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-cgroup: warning: cgroup svc/x: mkdir $CGV1/memory/svc: Resource temporarily unavailable" ]
	[ -d "$CGV1/cpu,cpuacct/svc/x" ]
	[ -d "$CGV1/pids/svc/x" ]
	[ ! -e "$CGV1/memory/svc" ]
}

@test "v1: a hierarchy that refuses half way keeps no half-made cgroup" {
	v1_root
	# memory takes svc, but not svc/x (deeper than it allows).
	echo 1 >"${HIER[memory]}/cgroup.max.depth"
	write_config <<-'EOF'
	{"cgroups": ["svc/x"]}
	EOF
	run --separate-stderr "$PREPBOX" prep-cgroup -v --cgroup-root "$CGV1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"prep-cgroup: warning: cgroup svc/x: mkdir $CGV1/memory/svc/x: Resource temporarily unavailable"* ]]
	[[ "$stderr" == *"prep-cgroup: undo: rmdir $CGV1/memory/svc"* ]]
	[ ! -e "$CGV1/memory/svc" ]
	[ -d "$CGV1/cpu,cpuacct/svc/x" ]
	[ -d "$CGV1/pids/svc/x" ]
}

@test "v1: when no hierarchy takes a cgroup, the run fails and rolls back" {
	v1_root
	# Each takes two cgroups: made and made/first, not blocked.
	for h in "cpu,cpuacct" memory pids; do echo 2 >"${HIER[$h]}/cgroup.max.descendants"; done
	before=$(tree "$CGV1")
	write_config <<-'EOF'
	{"cgroups": ["made/first", "blocked/y"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGV1" "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ "$output" == *"prep-cgroup: cgroup blocked/y: no hierarchy in $CGV1 took it"* ]]
	[ "$(tree "$CGV1")" = "$before" ]
}

@test "a root that holds no cgroup filesystem, or that is one v1 hierarchy, is refused before anything" {
	mkdir -p "$WS/plainroot/a" "$WS/plainroot/b"
	before=$(tree "$WS/plainroot")
	write_config <<-'EOF'
	{"cgroups": ["svc"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$WS/plainroot" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-cgroup: no cgroup hierarchies in $WS/plainroot (no directory there is a cgroup filesystem): No such file or directory" ]
	[ "$(tree "$WS/plainroot")" = "$before" ]
	mkdir -p "$WS/cpuset"
	mount -t cgroup -o cpuset none "$WS/cpuset" 2>/dev/null || skip "no v1 cpuset hierarchy to try"
	run_prepbox prep-cgroup --cgroup-root "$WS/cpuset" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: cgroup root $WS/cpuset is one v1 hierarchy; give the directory that holds the hierarchies (as /sys/fs/cgroup): "* ]]
	[ ! -e "$WS/cpuset/svc" ]
}

@test "v1 cpuset: a new cgroup gets its parent's cpus and mems, and can hold a process; a second run is a no-op" {
	mkdir -p "$WS/cpuset" "$WS/v1/cpuset"
	mount -t cgroup -o cpuset none "$WS/cpuset" 2>/dev/null ||
		skip "no v1 cpuset hierarchy on this kernel"
	# A scratch cpuset of the test's own, with cpus and mems set, is the hierarchy.
	scratch=$WS/cpuset/prepbox-test.$BATS_TEST_NUMBER.$(date +%s%N)
	mkdir "$scratch"
	cat "$WS/cpuset/cpuset.cpus" >"$scratch/cpuset.cpus"
	cat "$WS/cpuset/cpuset.mems" >"$scratch/cpuset.mems"
	echo 0 >"$scratch/cgroup.clone_children"
	mount -t tmpfs tmpfs "$WS/v1"
	mkdir "$WS/v1/cpuset"
	mount --bind "$scratch" "$WS/v1/cpuset"
	SCRATCH_CGROUPS+=("$scratch")
	write_config <<-'EOF'
	{"cgroups": ["svc/inner"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$WS/v1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -n "$(cat "$scratch/cpuset.cpus")" ]
	[ "$(cat "$scratch/svc/cpuset.cpus")" = "$(cat "$scratch/cpuset.cpus")" ]
	[ "$(cat "$scratch/svc/inner/cpuset.cpus")" = "$(cat "$scratch/cpuset.cpus")" ]
	[ "$(cat "$scratch/svc/inner/cpuset.mems")" = "$(cat "$scratch/cpuset.mems")" ]
	# A second run finds the cgroup there: nothing to do, nothing to say.
	run_prepbox prep-cgroup -v --cgroup-root "$WS/v1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run_prepbox prep-cgroup -n --cgroup-root "$WS/v1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# -n plans a parent two cgroups share once, with its cpus copied once
	write_config <<-'EOF'
	{"cgroups": ["p/b", "p/c/d"]}
	EOF
	run_prepbox prep-cgroup -n --cgroup-root "$WS/v1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(grep -c "^mkdir $WS/v1/cpuset/p$" <<<"$output")" = 1 ]
	[ "$(grep -c "> $WS/v1/cpuset/p/cpuset.cpus$" <<<"$output")" = 1 ]
	[ "$(grep -c "> $WS/v1/cpuset/p/c/cpuset.cpus$" <<<"$output")" = 1 ]
	[ "$(grep "> $WS/v1/cpuset/p/c/d/cpuset.cpus$" <<<"$output")" = "echo $(cat "$scratch/cpuset.cpus") > $WS/v1/cpuset/p/c/d/cpuset.cpus" ]
	# A new level below existing ones gets the cpus of the existing one above it.
	write_config <<-'EOF'
	{"cgroups": ["svc/inner/deeper"]}
	EOF
	run_prepbox prep-cgroup -v --cgroup-root "$WS/v1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "prep-cgroup: mkdir $WS/v1/cpuset/svc/inner/deeper" ]
	[ "$(cat "$scratch/svc/inner/deeper/cpuset.cpus")" = "$(cat "$scratch/cpuset.cpus")" ]
	[ "$(cat "$scratch/svc/inner/deeper/cpuset.mems")" = "$(cat "$scratch/cpuset.mems")" ]
	sleep 1000 &
	pid=$!
	STARTED_PIDS+=($pid)
	echo $pid >"$scratch/svc/inner/tasks"
	grep -qx "$pid" "$scratch/svc/inner/tasks"
	kill $pid
	wait $pid || true
	umount "$WS/v1/cpuset"
}

@test "hybrid: the unified (cgroup2) hierarchy gets the cgroup like the v1 ones" {
	v1_root
	mkdir "$CGROOT/unified" "$CGV1/unified"
	mount --bind "$CGROOT/unified" "$CGV1/unified"
	write_config <<-'EOF'
	{"cgroups": ["svc"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGV1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -f "$CGROOT/unified/svc/cgroup.procs" ]
	[ -f "$CGV1/memory/svc/cgroup.procs" ]
}

@test "--dry-run prints the mkdirs and changes nothing" {
	v1_root
	mkdir "$CGV1/memory/svc"
	before=$(tree "$CGV1")
	write_config <<-'EOF'
	{"cgroups": ["svc/x"]}
	EOF
	run --separate-stderr "$PREPBOX" prep-cgroup -n --cgroup-root "$CGV1" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir $CGV1/cpu,cpuacct/svc
mkdir $CGV1/cpu,cpuacct/svc/x
mkdir $CGV1/memory/svc/x
mkdir $CGV1/pids/svc
mkdir $CGV1/pids/svc/x" ]
	[ "$(tree "$CGV1")" = "$before" ]
}

@test "--dry-run plans a parent two cgroups share once" {
	cgroup2_setup
	write_config <<-'EOF'
	{"cgroups": ["a/b", "a/c/d"]}
	EOF
	run --separate-stderr "$PREPBOX" prep-cgroup -n --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir $CGROOT/a
mkdir $CGROOT/a/b
mkdir $CGROOT/a/c
mkdir $CGROOT/a/c/d" ]
}

@test "-v says each directory made" {
	cgroup2_setup
	write_config <<-'EOF'
	{"cgroups": ["a/b"]}
	EOF
	run --separate-stderr "$PREPBOX" prep-cgroup -v --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-cgroup: mkdir $CGROOT/a
prep-cgroup: mkdir $CGROOT/a/b" ]
}

@test "-c FILE without BUNDLE; a missing default runtime.json does nothing" {
	cgroup2_setup
	echo '{"cgroups": ["from-c"]}' >"$WS/conf.json"
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" -c "$WS/conf.json"
	[ "$status" -eq 0 ]
	[ -d "$CGROOT/from-c" ]
	rm -f "$BUNDLE/runtime.json"
	before=$(tree "$CGROOT")
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(tree "$CGROOT")" = "$before" ]
}

@test "a config error is exit 2 with the JSON path, and nothing is made" {
	cgroup2_setup
	write_config <<-'EOF'
	{"cgroups": ["fine", "a/../../escape"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$CGROOT" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: runtime.json: .cgroups[1]: "* ]]
	[ -z "$(find "$CGROOT" -mindepth 1 -type d)" ]
}

@test "a missing cgroup root is refused before anything is done, with its name" {
	write_config <<-'EOF'
	{"cgroups": ["svc"]}
	EOF
	run_prepbox prep-cgroup --cgroup-root "$WS/nowhere" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-cgroup: cgroup root $WS/nowhere: No such file or directory" ]
}
