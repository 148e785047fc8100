#!/bin/bash
# make bench: prepbox against the commands it replaces. It measures and
# reports; it fails nothing on timing (it exits non-zero only when a run
# fails or the bench cannot run at all).
#
#   tests/bench/bench.sh --prepbox BIN --timeit BIN [--static BIN] [--objs DIR]
#                        [--out FILE] [--log FILE]
#     --prepbox BIN  the binary timed (with prep-link: the dynamic build)
#     --timeit BIN   tests/bench/timeit.c, built
#     --static BIN   the release binary: its stripped size, and a run of the
#                    typical config without interfaces (it has no prep-link)
#     --objs DIR     an output tree built with the release flags, dynamic:
#                    the size prep-link adds is estimated from its objects
#     --out FILE     the table is also written there (default build/bench.txt)
#     --log FILE     what the timed commands printed (default build/bench.log)
#   BENCH_RUNS=N     runs of each measurement (default 9); medians are reported
#   BENCH_SIZES="10 100 1000"  the item counts of the scaling runs
#   BENCH_SETTLE=0.1 seconds of pause after each reset, before the timed run
#
# Everything happens inside unshare --mount --net --pid with /tmp a fresh
# tmpfs and /sys the sysfs of the new network namespace, as the tests do;
# cgroups are made below a scratch cgroup of a private cgroup2 mount, removed
# at the end; the stand-in container processes are `unshare -n sleep`. Each
# run starts from the same state: what the previous run made is taken down
# before it, outside the timed part. prepbox and its alternative take turns,
# so that a drift of the machine falls on both.
set -uo pipefail

if [ "${1:-}" != --inside ]; then
	prepbox='' timeit='' static='' objs=''
	out=build/bench.txt log=build/bench.log
	while [ $# -gt 0 ]; do
		case $1 in
		--prepbox) prepbox=$2 ;;
		--timeit) timeit=$2 ;;
		--static) static=$2 ;;
		--objs) objs=$2 ;;
		--out) out=$2 ;;
		--log) log=$2 ;;
		*) echo "bench: unknown argument $1" >&2; exit 2 ;;
		esac
		shift 2
	done
	[ -x "$prepbox" ] && [ -x "$timeit" ] || {
		echo "bench: --prepbox and --timeit must name built binaries" >&2; exit 2; }
	[ "$(id -u)" = 0 ] || { echo "bench: run it as root (it mounts and makes interfaces)" >&2; exit 1; }
	abs() { [ -n "$1" ] && echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
	mkdir -p "$(dirname "$out")" "$(dirname "$log")"
	: >"$log"
	exec unshare --mount --net --pid --fork --mount-proc --propagation private -- \
		"$0" --inside "$(abs "$prepbox")" "$(abs "$timeit")" "$(abs "$static")" \
		"$(abs "$objs")" "$(abs "$out")" "$(abs "$log")"
fi
prepbox=$2 timeit=$3 static=$4 objs=$5 out=$6 log=$7
runs=${BENCH_RUNS:-9}
sizes=${BENCH_SIZES:-10 100 1000}

# ---- the throwaway world ----------------------------------------------------

mount -t tmpfs -o mode=1777 prepbox-bench /tmp && mount -t sysfs sysfs /sys || exit 1
ws=/tmp/bench
bundle=$ws/bundle
mkdir -p "$bundle/rootfs" "$ws/cg2"
cg=''
cpid=''
if mount -t cgroup2 none "$ws/cg2" 2>/dev/null; then
	cg=$ws/cg2/prepbox-bench.$$.$(date +%s%N)
	mkdir "$cg" || exit 1
fi
cleanup() {
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null
	if [ -n "$cg" ]; then
		find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
		umount "$ws/cg2"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The links of the host namespace (ours) when nothing of the bench is there.
nlinks() { ls /sys/class/net | wc -l; }
base_links=$(nlinks)

# start_container: a stand-in container process in a network namespace of
# its own; sets cpid once it is in it.
start_container() {
	local i
	unshare -n sleep 100000 &
	cpid=$!
	for i in $(seq 200); do
		[ "$(readlink "/proc/$cpid/ns/net")" != "$(readlink /proc/self/ns/net)" ] && return 0
		sleep 0.01
	done
	echo "bench: the container process did not start" >&2
	exit 1
}

# stop_container: kill it and wait until its namespace is gone with every
# link in it (each veth's host end goes too): the kernel deletes them in one
# batch, much faster than one `ip link del` each. The rest of the namespace's
# teardown goes on in the kernel's workers after the links are gone: give it
# time to end, so that it does not fall on the next timed run.
stop_container() {
	local i
	[ -n "$cpid" ] || return 0
	kill "$cpid"
	wait "$cpid" 2>/dev/null
	cpid=''
	for i in $(seq 3000); do
		if [ "$(nlinks)" -le "$base_links" ]; then
			sleep 0.3
			return 0
		fi
		sleep 0.01
	done
	echo "bench: the links of the container did not go away" >&2
	exit 1
}

# A fresh rootfs: a tmpfs of its own, so that one unmount takes every mount
# a run made below it.
fresh_rootfs() {
	umount -R "$bundle/rootfs" 2>/dev/null
	rm -rf "$bundle/rootfs"
	mkdir "$bundle/rootfs"
	mount -t tmpfs bench-rootfs "$bundle/rootfs"
}

fresh_cgroups() {
	[ -n "$cg" ] && find "$cg" -mindepth 1 -depth -type d -exec rmdir {} +
}

# ---- measuring --------------------------------------------------------------

# time_run FILE CMD...: one timed run of CMD; appends "wall user sys rss status"
# (microseconds, KiB) to FILE. What CMD prints goes to the log.
time_run() {
	local file=$1
	shift
	echo "# $*" >>"$log"
	"$timeit" -o "$file" "$@" >>"$log" 2>&1 </dev/null || echo "0 0 0 0 127" >>"$file"
}

# median FILE COLUMN: the median of a column of samples.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2];
			else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# failed FILE: the first non-zero exit status of the samples, or nothing.
failed() {
	awk '$5 != 0 { print $5; exit }' "$1"
}

# settle: a pause after a reset, for the work the kernel defers (freeing
# unmounted filesystems, removed cgroups, a namespace's teardown) to be done
# before the next timed run rather than during it.
settle() { sleep "${BENCH_SETTLE:-0.1}"; }

# compare NAME RESET PREPBOX_FN ALT_FN: BENCH_RUNS runs of each, taking
# turns, RESET before every run; the functions run one timed command into
# the file they are given. Samples in $ws/samples/NAME.{pb,alt}.
compare() {
	local name=$1 reset=$2 pbfn=$3 altfn=$4 i
	mkdir -p "$ws/samples"
	: >"$ws/samples/$name.pb"
	: >"$ws/samples/$name.alt"
	for i in $(seq "$runs"); do
		$reset
		settle
		$pbfn "$ws/samples/$name.pb"
		$reset
		settle
		$altfn "$ws/samples/$name.alt"
	done
	$reset
}

# ---- the typical service config ----------------------------------------------

# Two tmpfs mounts with options, two directories, a cgroup, a veth named eth0
# with its peer, a bridge, the net and uts namespaces bound; and the same
# without interfaces for the static binary.
write_typical() {
	local ifaces='"interfaces": [{"name": "eth0", "peer": "veth-svc"}, {"name": "br0", "add": "bridge"}],'
	[ "$1" = no-interfaces ] && ifaces=''
	cat <<-EOF
	{
	  "mounts": [
	    {"destination": "tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "size=64m"]},
	    {"destination": "run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=755"]}
	  ],
	  "mkdir": ["var/log/svc", "run/svc"],
	  "cgroups": ["svc"],
	  $ifaces
	  "bindNS": {"net": "$ws/netns/svc", "uts": "$ws/utsns/svc"}
	}
	EOF
}

# The same work as a shell script, the way prepbox -n writes it: the
# commands of mount(8), mkdir(1) and ip(8); the container's pid is $1.
write_typical_sh() {
	local r=$bundle/rootfs
	cat <<-EOF
	mkdir -p $r/tmp
	mount -t tmpfs -o nosuid,nodev,size=64m tmpfs $r/tmp
	mkdir -p $r/run
	mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs $r/run
	mkdir -p $r/var/log/svc
	mkdir -p $r/run/svc
	mkdir -p $cg/svc
	EOF
	[ "$1" = no-interfaces ] || cat <<-EOF
	ip link add veth-svc type veth peer name eth0 netns \$1
	ip link add name br0 netns \$1 type bridge
	EOF
	cat <<-EOF
	mkdir -p $ws/netns
	touch $ws/netns/svc
	mount --bind /proc/\$1/ns/net $ws/netns/svc
	mkdir -p $ws/utsns
	touch $ws/utsns/svc
	mount --bind /proc/\$1/ns/uts $ws/utsns/svc
	EOF
}

# The container stays: its links are deleted one by one, so that no network
# namespace is being torn down by the kernel while the next run is timed.
reset_typical() {
	local d
	for d in "$ws/netns" "$ws/utsns"; do
		umount "$d/svc" 2>/dev/null
		rm -rf "$d"
	done
	ip link del veth-svc 2>/dev/null
	nsenter -t "$cpid" -n ip link del br0 2>/dev/null
	fresh_rootfs
	fresh_cgroups
}

# check_typical: the last run did the work (so neither side is timed doing nothing).
check_typical() {
	mountpoint -q "$bundle/rootfs/tmp" && mountpoint -q "$bundle/rootfs/run" &&
		[ -d "$bundle/rootfs/var/log/svc" ] && [ -d "$bundle/rootfs/run/svc" ] &&
		[ -d "$cg/svc" ] && mountpoint -q "$ws/netns/svc" && mountpoint -q "$ws/utsns/svc" &&
		{ [ "$1" = no-interfaces ] || [ -e /sys/class/net/veth-svc ]; }
}

typical_pb() {
	time_run "$1" "$prepbox" prep-all --cgroup-root "$cg" --pid "$cpid" -c "$ws/typical.json" "$bundle"
	check_typical full || echo "0 0 0 0 1" >>"$1"
}
typical_sh() {
	time_run "$1" sh -e "$ws/typical.sh" "$cpid"
	check_typical full || echo "0 0 0 0 1" >>"$1"
}
# The typical config's two interfaces alone: how much of it is the kernel's
# own work of making links, which both sides pay.
write_links() {
	echo '{"interfaces": [{"name": "eth0", "peer": "veth-svc"}, {"name": "br0", "add": "bridge"}]}'
}
write_links_sh() {
	cat <<-'EOF'
	ip link add veth-svc type veth peer name eth0 netns $1
	ip link add name br0 netns $1 type bridge
	EOF
}
check_links() {
	[ -e /sys/class/net/veth-svc ] && nsenter -t "$cpid" -n ip link show br0 >/dev/null 2>&1
}
links_pb() {
	time_run "$1" "$prepbox" prep-link --pid "$cpid" -c "$ws/links.json"
	check_links || echo "0 0 0 0 1" >>"$1"
}
links_sh() {
	time_run "$1" sh -e "$ws/links.sh" "$cpid"
	check_links || echo "0 0 0 0 1" >>"$1"
}
# Process start-up alone, static against dynamic: the dynamic build's cost
# of loading glibc, libmnl and cJSON, which the release binary does not pay.
no_reset() { :; }
start_static() { time_run "$1" "$static" --version; }
start_dynamic() { time_run "$1" "$prepbox" --version; }

typical_static() {
	time_run "$1" "$static" prep-all --cgroup-root "$cg" --pid "$cpid" -c "$ws/typical-static.json" "$bundle"
	check_typical no-interfaces || echo "0 0 0 0 1" >>"$1"
}
typical_static_sh() {
	time_run "$1" sh -e "$ws/typical-static.sh" "$cpid"
	check_typical no-interfaces || echo "0 0 0 0 1" >>"$1"
}

# ---- scaling: N veth pairs, tmpfs mounts, cgroups ----------------------------

# write_items KIND N: a config of N items of one kind.
write_items() {
	local kind=$1 n=$2
	awk -v kind="$kind" -v n="$n" 'BEGIN {
		printf "{ \"%s\": [\n", kind
		for (i = 0; i < n; i++) {
			if (kind == "interfaces")
				item = sprintf("{\"name\": \"v%d\", \"peer\": \"p%d\"}", i, i)
			else if (kind == "mounts")
				item = sprintf("{\"destination\": \"m%d\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"size=1m\"]}", i)
			else
				item = sprintf("\"c%d\"", i)
			printf "  %s%s\n", item, i < n - 1 ? "," : ""
		}
		print "] }"
	}'
}

# The alternatives: ip -batch for the interfaces (its file names the pid,
# so it is written after each reset); for mounts and cgroups, the shell
# script of one command per action that prepbox -n prints.
write_veth_batch() {
	awk -v n="$1" -v pid="$cpid" 'BEGIN {
		for (i = 0; i < n; i++) printf "link add p%d type veth peer name v%d netns %d\n", i, i, pid }'
}
write_mounts_sh() {
	awk -v n="$1" -v r="$bundle/rootfs" 'BEGIN {
		for (i = 0; i < n; i++) printf "mkdir -p %s/m%d\nmount -t tmpfs -o size=1m tmpfs %s/m%d\n", r, i, r, i }'
}
write_cgroups_sh() {
	awk -v n="$1" -v r="$cg" 'BEGIN { for (i = 0; i < n; i++) printf "mkdir -p %s/c%d\n", r, i }'
}

reset_veth() {
	stop_container
	start_container
}
reset_mounts() { fresh_rootfs; }
reset_cgroups() { fresh_cgroups; }

# The number of items the last run made, to check it did the work.
made_veth() { echo $(($(nlinks) - base_links)); }
made_mounts() { awk -v r="$bundle/rootfs/" 'index($5, r) == 1' /proc/self/mountinfo | wc -l; }
made_cgroups() { find "$cg" -mindepth 1 -maxdepth 1 -type d | wc -l; }

# scale_pb / scale_alt FILE: one timed run of the current $kind and $n.
scale_pb() {
	case $kind in
	veth) time_run "$1" "$prepbox" prep-link --pid "$cpid" -c "$ws/items.json" ;;
	mounts) time_run "$1" "$prepbox" prep-mount -c "$ws/items.json" "$bundle" ;;
	cgroups) time_run "$1" "$prepbox" prep-cgroup --cgroup-root "$cg" -c "$ws/items.json" ;;
	esac
	[ "$("made_$kind")" -eq "$n" ] || echo "0 0 0 0 1" >>"$1"
}
scale_alt() {
	case $kind in
	veth) write_veth_batch "$n" >"$ws/items.batch"
		time_run "$1" ip -batch "$ws/items.batch" ;;
	*) time_run "$1" sh -e "$ws/items.sh" ;;
	esac
	[ "$("made_$kind")" -eq "$n" ] || echo "0 0 0 0 1" >>"$1"
}

# ---- the report ---------------------------------------------------------------

table=$ws/table
: >"$table"
row() { printf '%-44s %12s %14s %9s %13s %s\n' "$@" >>"$table"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
us() { awk -v us="$1" 'BEGIN { printf (us < 100 ? "%.1f us" : "%.0f us"), us }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
# met VALUE OP LIMIT: "yes" or "NO".
met() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
	ok = (op == ">=") ? (v >= l) : (v < l); print (ok ? "yes" : "NO") }'; }

# report_pair NAME WHAT ALTNAME [MIN_RATIO]: one row from compare NAME.
report_pair() {
	local name=$1 what=$2 altname=$3 min=${4:-} pb alt f r
	pb=$(median "$ws/samples/$name.pb" 1)
	alt=$(median "$ws/samples/$name.alt" 1)
	for f in pb alt; do
		if [ -n "$(failed "$ws/samples/$name.$f")" ]; then
			row "$what" "FAILED" "($f: see log)" "-" "-" "NO"
			return
		fi
	done
	# The ratio of each pair of runs (they took turns, under the same load
	# of the machine), and the median of those.
	r=$(paste -d' ' "$ws/samples/$name.alt" "$ws/samples/$name.pb" |
		awk '$6 > 0 { print $1 / $6 }' | sort -n |
		awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }')
	if [ -n "$min" ]; then
		row "$what" "$(ms "$pb")" "$(ms "$alt") $altname" "$(ratio "$r" 1)" ">= ${min}x" \
			"$(met "$r" ">=" "$min")"
	else
		row "$what" "$(ms "$pb")" "$(ms "$alt") $altname" "$(ratio "$r" 1)" "" ""
	fi
}

# mnl_size: the bytes of the libmnl functions prepbox calls, as the
# system's shared libmnl has them (nm -S), for the estimate of a static
# prep-link; 0 when they cannot be found.
mnl_size() {
	local lib addr size type sym total=0
	lib=$(pkg-config --variable=libdir libmnl 2>/dev/null)/libmnl.so
	[ -e "$lib" ] || { echo 0; return; }
	nm -u "$prepbox" | awk '{ sub(/@.*/, "", $2); if ($2 ~ /^mnl_/) print $2 }' | sort -u >"$ws/mnl.used"
	while read -r addr size type sym; do
		sym=${sym%%@*}
		[ -n "$sym" ] && grep -qx "$sym" "$ws/mnl.used" && total=$((total + 16#$size))
	done < <(nm -D --defined-only -S "$(readlink -f "$lib")")
	echo "$total"
}

# ---- the runs ------------------------------------------------------------------

echo "bench: $runs runs of each, medians; prepbox is $prepbox" >&2
# Other work on the machine makes every time longer: the table says how busy it was.
load=$(cut -d' ' -f1-3 /proc/loadavg)

if [ -z "$cg" ]; then
	echo "bench: no cgroup2 filesystem: cannot run" >&2
	exit 1
fi

start_container
write_typical full >"$ws/typical.json"
write_typical_sh full >"$ws/typical.sh"
echo "bench: the typical service config" >&2
compare typical reset_typical typical_pb typical_sh
write_links >"$ws/links.json"
write_links_sh >"$ws/links.sh"
compare links reset_typical links_pb links_sh
if [ -n "$static" ]; then
	write_typical no-interfaces >"$ws/typical-static.json"
	write_typical_sh no-interfaces >"$ws/typical-static.sh"
	compare typical-static reset_typical typical_static typical_static_sh
	compare start no_reset start_static start_dynamic
fi

for kind in veth mounts cgroups; do
	for n in $sizes; do
		echo "bench: $n $kind" >&2
		case $kind in
		veth) write_items interfaces "$n" >"$ws/items.json" ;;
		mounts) write_items mounts "$n" >"$ws/items.json"
			write_mounts_sh "$n" >"$ws/items.sh" ;;
		cgroups) write_items cgroups "$n" >"$ws/items.json"
			write_cgroups_sh "$n" >"$ws/items.sh" ;;
		esac
		compare "$kind-$n" "reset_$kind" scale_pb scale_alt
	done
done
stop_container

# -- the table
{
	echo "prepbox benchmark: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -sr), $(nproc) CPUs"
	echo "median of $runs runs each; wall time of the whole command (fork to wait);"
	echo "ratio: alternative / prepbox, the median over the pairs of runs; see README.md, \"Benchmarks\""
	echo "load average at the start: $load"
	echo
} >"$table"
row "what" "prepbox" "alternative" "ratio" "target" "met?"
row "typical service config (prep-all --pid)" "" "" "" "" ""
report_pair typical "  vs the same work as a shell script" "(sh)" 15
report_pair links "  its 2 interfaces alone vs 2 ip link add" "(sh)"
if [ -n "$static" ]; then
	row "typical, no interfaces, static binary" "" "" "" "" ""
	report_pair typical-static "  vs the shell script without ip" "(sh)"
	row "start-up (--version), static binary" "" "" "" "" ""
	report_pair start "  vs the dynamic build" "(dyn)"
	# The typical config as the release binary would run it, were prep-link
	# in it: the dynamic build's time less its extra start-up.
	est=$(awk -v t="$(median "$ws/samples/typical.pb" 1)" -v s="$(median "$ws/samples/start.pb" 1)" \
		-v d="$(median "$ws/samples/start.alt" 1)" 'BEGIN { print t - (d - s) }')
	sh_typ=$(median "$ws/samples/typical.alt" 1)
	r=$(awk -v a="$sh_typ" -v b="$est" 'BEGIN { print (b > 0 ? a / b : 0) }')
	row "typical, static with prep-link (estimate)" "$(ms "$est")" "$(ms "$sh_typ") (sh)" \
		"$(ratio "$r" 1)" ">= 15x" "$(met "$r" ">=" 15) (est.)"
fi
max=${sizes##* }
for kind in veth mounts cgroups; do
	case $kind in
	veth) what="veth pairs (prep-link) vs ip -batch" alt="(ip)" min=1 ;;
	mounts) what="tmpfs mounts (prep-mount) vs sh" alt="(sh)" min=20 ;;
	cgroups) what="cgroups (prep-cgroup) vs sh" alt="(sh)" min=20 ;;
	esac
	row "$what" "" "" "" "" ""
	for n in $sizes; do
		if [ "$n" = "$max" ]; then
			report_pair "$kind-$n" "  N=$n" "$alt" "$min"
		else
			report_pair "$kind-$n" "  N=$n" "$alt"
		fi
	done
done

# -- per item, and the growth from 100 to 1000 items
{
	echo
	printf '%-44s %12s %14s\n' "time per item" "prepbox" "alternative"
} >>"$table"
for kind in veth mounts cgroups; do
	for n in $sizes; do
		printf '%-44s %12s %14s\n' "  $kind N=$n" \
			"$(us "$(awk -v t="$(median "$ws/samples/$kind-$n.pb" 1)" -v n="$n" 'BEGIN { print t / n }')")" \
			"$(us "$(awk -v t="$(median "$ws/samples/$kind-$n.alt" 1)" -v n="$n" 'BEGIN { print t / n }')")" \
			>>"$table"
	done
done
if [[ " $sizes " == *" 100 "* ]] && [[ " $sizes " == *" 1000 "* ]]; then
	echo >>"$table"
	# The last column but two: prepbox's growth over the alternative's, which
	# is mostly the kernel's own (how its work grows with what is there).
	row "t(1000)/t(100), near 10: no quadratic step" "prepbox" "alternative" "pb/alt" "target" "met?"
	for kind in veth mounts cgroups; do
		pb=$(awk -v a="$(median "$ws/samples/$kind-1000.pb" 1)" \
			-v b="$(median "$ws/samples/$kind-100.pb" 1)" 'BEGIN { printf "%.1f", a / b }')
		alt=$(awk -v a="$(median "$ws/samples/$kind-1000.alt" 1)" \
			-v b="$(median "$ws/samples/$kind-100.alt" 1)" 'BEGIN { printf "%.1f", a / b }')
		row "  $kind" "$pb" "$alt" "$(ratio "$pb" "$alt")" "< 12" "$(met "$pb" "<" 12)"
	done
fi

# -- the cost floor: user CPU time / wall time of the largest veth run
echo >>"$table"
row "cost floor ($max veth pairs)" "prepbox" "ip -batch" "" "target" "met?"
share() { # FILE COLUMN: median over runs of column / wall, in percent
	awk -v c="$2" '$1 > 0 { print 100 * $c / $1 }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.1f", NR ? v[int((NR + 1) / 2)] : 0 }'
}
pbuser=$(share "$ws/samples/veth-$max.pb" 2)
row "  user CPU / wall (outside system calls)" "$pbuser%" "$(share "$ws/samples/veth-$max.alt" 2)%" \
	"" "< 5%" "$(met "$pbuser" "<" 5)"
row "  system CPU / wall (in system calls)" "$(share "$ws/samples/veth-$max.pb" 3)%" \
	"$(share "$ws/samples/veth-$max.alt" 3)%" "" "" ""

# -- size and memory
echo >>"$table"
row "size and memory" "prepbox" "" "" "target" "met?"
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
if [ -n "$static" ]; then
	strip -o "$ws/prepbox.stripped" "$static"
	ssize=$(stat -c %s "$ws/prepbox.stripped")
	row "  static binary, stripped ($("$static" --list | wc -l) applets)" "$(kib "$ssize")" "" "" \
		"< 100 KiB" "$(met "$ssize" "<" 102400)"
	if [ -n "$objs" ] && [ -f "$objs/libcommon/nl.o" ]; then
		# prep-link's own code, built with the release flags, and the
		# functions of libmnl it calls (their sizes in the system's libmnl).
		own=$(size "$objs/libcommon/nl.o" "$objs/libcommon/link.o" "$objs/applets/prep_link.o" |
			awk 'NR > 1 { s += $1 + $2 } END { print s }')
		mnl=$(mnl_size)
		est=$((ssize + own + mnl))
		row "  with prep-link (estimate, +$(((own + mnl + 512) / 1024)) KiB)" \
			"$(kib "$est")" "" "" "< 100 KiB" "$(met "$est" "<" 102400)"
	fi
	srss=$(median "$ws/samples/typical-static.pb" 4)
	row "  peak RSS, typical without interfaces, static" "$srss KiB" "" "" "< 1024 KiB" \
		"$(met "$srss" "<" 1024)"
fi
rss=$(median "$ws/samples/typical.pb" 4)
row "  peak RSS, typical config, dynamic build" "$rss KiB" "" "" "< 1024 KiB" "$(met "$rss" "<" 1024)"

cp "$table" "$out"
# The samples behind every median (wall user sys rss status per run), beside it.
rm -rf "${out%.txt}-samples"
cp -r "$ws/samples" "${out%.txt}-samples"
cat "$table"
echo "bench: written to $out (samples in ${out%.txt}-samples); what the commands printed is in $log" >&2
# A failed run makes its numbers meaningless: say so in the exit status.
! grep -q FAILED "$table"
