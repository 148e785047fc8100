#!/usr/bin/env bats
# Hostile inputs: pids that are no process, pid files that are not a pid,
# configs that are cut short, too large, too deep, or hold NUL bytes,
# invalid UTF-8 or interface names too long for the kernel. Each is exit 2
# with its exact message, and nothing is done (DESIGN.md sections 2 and 3);
# the inputs just inside each limit work.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-all
	needs_applet prep-bindns
	setup_workspace
	start_container -n -u
}

teardown() {
	teardown_workspace
}

# A config that asks for work in the filesystem phase and needs a pid: a
# run that checks its pid too late would have made "made".
pid_config() {
	write_config <<-EOF
	{"mkdir": ["made"], "bindNS": {"uts": "$WS/uts"}}
	EOF
}

# nothing_done: no trace of a run of pid_config (or of a config with "made").
nothing_done() {
	[ ! -e "$BUNDLE/rootfs/made" ] && [ ! -e "$WS/uts" ] && [ -z "$(mounts_below "$WS/uts")" ]
}

# bound: the run of pid_config bound the container's uts namespace.
bound() {
	[ -d "$BUNDLE/rootfs/made" ]
	[ "$(stat -L -c %i "$WS/uts")" = "$(stat -L -c %i /proc/$CPID/ns/uts)" ]
}

# pid_refused PID MESSAGE: --pid PID is exit 2 with MESSAGE, nothing done.
pid_refused() {
	run "$PREPBOX" prep-all --pid "$1" "$BUNDLE"
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$output" = "$2" ]
	nothing_done
}

# pid_file_refused CONTENT MESSAGE: a pid file holding CONTENT (printf
# format) is exit 2 with MESSAGE ("F" in it stands for the file's name).
pid_file_refused() {
	printf "$1" >"$WS/pid"
	run "$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE"
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$output" = "${2//F/$WS/pid}" ]
	nothing_done
}

# ---- pids ------------------------------------------------------------------

@test "--pid 0 is no process" {
	pid_config
	pid_refused 0 "prep-all: --pid: 0 is not a process"
	pid_refused 00 "prep-all: --pid: 0 is not a process"
}

@test "--pid -1 (every process, to kill) is not a pid" {
	pid_config
	pid_refused -1 "prep-all: --pid: '-1' is not a pid (decimal digits only)"
	run "$PREPBOX" prep-all --pid=-1 "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: --pid: '-1' is not a pid (decimal digits only)" ]
	pid_refused " $CPID" "prep-all: --pid: ' $CPID' is not a pid (decimal digits only)"
	pid_refused "+$CPID" "prep-all: --pid: '+$CPID' is not a pid (decimal digits only)"
	pid_refused "" "prep-all: --pid: empty, expected a pid"
}

@test "a huge --pid is too large, not cut to a pid_t" {
	pid_config
	pid_refused 99999999999999999999999 "prep-all: --pid: '99999999999999999999999' is too large for a pid"
	# 2^31 and 2^32 + CPID, which an int or a cast would make a negative or a real pid
	pid_refused 2147483648 "prep-all: --pid: '2147483648' is too large for a pid"
	pid_refused $((4294967296 + CPID)) "prep-all: --pid: '$((4294967296 + CPID))' is too large for a pid"
	pid_refused 2147483647 "prep-all: process 2147483647: No such process"
	pid_refused "$(printf '9%.0s' $(seq 100))" "prep-all: --pid: '$(printf '9%.0s' $(seq 32))...' is too large for a pid"
}

@test "a thread id is not a process" {
	command -v cc >/dev/null || skip "no C compiler to build the threaded helper"
	cat >"$WS/threads.c" <<-'EOF'
	#include <pthread.h>
	#include <unistd.h>
	static void *idle(void *arg) { for (;;) pause(); return arg; }
	int main(void) { pthread_t t; pthread_create(&t, NULL, idle, NULL); for (;;) pause(); }
	EOF
	cc -pthread -o "$WS/threads" "$WS/threads.c"
	"$WS/threads" &
	tpid=$!
	STARTED_PIDS+=("$tpid")
	for i in $(seq 100); do
		tid=$(ls "/proc/$tpid/task" 2>/dev/null | grep -vx "$tpid" | head -n 1)
		[ -n "$tid" ] && break
		sleep 0.02
	done
	[ -n "$tid" ]
	pid_config
	pid_refused "$tid" "prep-all: pid $tid is a thread of process $tpid, not a process"
	echo "$tid" >"$WS/pid"
	run "$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: pid $tid is a thread of process $tpid, not a process" ]
	nothing_done
}

@test "a pid that names no process" {
	pid_config
	sleep 0 &
	gone=$!
	wait "$gone"
	pid_refused "$gone" "prep-all: process $gone: No such process"
}

# ---- pid files -------------------------------------------------------------

@test "a pid file with its final newline works, and without it too" {
	pid_config
	printf '%s\n' "$CPID" >"$WS/pid"
	run "$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	bound
	umount "$WS/uts" && rm "$WS/uts" && rmdir "$BUNDLE/rootfs/made"
	printf '%s' "$CPID" >"$WS/pid"
	run "$PREPBOX" prep-all --pid-file "$WS/pid" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	bound
}

@test "a pid file with junk after the number" {
	pid_config
	pid_file_refused "${CPID}abc\n" "prep-all: pid file F: '${CPID}abc' is not a pid (decimal digits only)"
	pid_file_refused "$CPID $CPID\n" "prep-all: pid file F: '$CPID $CPID' is not a pid (decimal digits only)"
	# one newline is allowed, not two, and the others are shown as escapes
	pid_file_refused "$CPID\n\n" "prep-all: pid file F: '$CPID\\n' is not a pid (decimal digits only)"
	pid_file_refused "$CPID\r\n" "prep-all: pid file F: '$CPID\\r' is not a pid (decimal digits only)"
	pid_file_refused "$CPID\0" "prep-all: pid file F: '$CPID\\x00' is not a pid (decimal digits only)"
	pid_file_refused " $CPID\n" "prep-all: pid file F: ' $CPID' is not a pid (decimal digits only)"
	pid_file_refused "$(printf '1%.0s' $(seq 70))" "prep-all: pid file F: too long for a pid"
}

@test "an empty pid file, or one with only a newline" {
	pid_config
	pid_file_refused "" "prep-all: pid file F: empty, expected a pid"
	pid_file_refused "\n" "prep-all: pid file F: empty, expected a pid"
}

@test "a missing pid file, and a directory" {
	pid_config
	run "$PREPBOX" prep-all --pid-file "$WS/nopid" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: read pid file $WS/nopid: No such file or directory" ]
	mkdir "$WS/piddir"
	run "$PREPBOX" prep-all --pid-file "$WS/piddir" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-all: read pid file $WS/piddir: Is a directory" ]
	nothing_done
}

# ---- configs ---------------------------------------------------------------

# config_refused MESSAGE: prep-all on runtime.json is exit 2 with MESSAGE.
config_refused() {
	run "$PREPBOX" prep-all --pid "$CPID" "$BUNDLE"
	echo "$output"
	[ "$status" -eq 2 ]
	[ "$output" = "$1" ]
	nothing_done
}

@test "a config on a pipe that closes early" {
	run --separate-stderr bash -c 'printf "{\"mkdir\": [\"made\", " | "$0" prep-mount -c - "$1"' \
		"$PREPBOX" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-mount: <stdin>: line 1, column 19: unexpected end of text" ]
	# the writer dies half way through a string
	run --separate-stderr bash -c '{ printf "{\"mkdir\": [\"ma"; kill -9 $BASHPID; } | "$0" prep-mount -c - "$1"' \
		"$PREPBOX" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-mount: <stdin>: line 1, column 12: unterminated string" ]
	# a pipe closed before anything was written
	run --separate-stderr bash -c '"$0" prep-mount -c - "$1" </dev/null' "$PREPBOX" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-mount: <stdin>: line 1, column 1: empty document" ]
	run --separate-stderr bash -c 'true | "$0" prep-mount -c - "$1"' "$PREPBOX" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$stderr" = "prep-mount: <stdin>: line 1, column 1: empty document" ]
	nothing_done
}

# big_config FILE BYTES: a valid config of exactly BYTES bytes (padded with spaces).
big_config() {
	local head='{"mkdir": ["made"]}'
	{ printf '%s' "$head"; head -c $(($2 - ${#head})) /dev/zero | tr '\0' ' '; } >"$1"
	[ "$(stat -c %s "$1")" -eq "$2" ]
}

@test "a 2 MiB config is refused, from a file and from a pipe; 1 MiB is fine" {
	big_config "$WS/big.json" $((2 * 1024 * 1024))
	run "$PREPBOX" prep-mount -c "$WS/big.json" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-mount: read $WS/big.json (more than 1048576 bytes): File too large" ]
	run bash -c 'cat "$2" | "$0" prep-mount -c - "$1"' "$PREPBOX" "$BUNDLE" "$WS/big.json"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-mount: read <stdin> (more than 1048576 bytes): File too large" ]
	# one byte over
	big_config "$WS/big.json" $((1024 * 1024 + 1))
	run "$PREPBOX" prep-mount -c "$WS/big.json" "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-mount: read $WS/big.json (more than 1048576 bytes): File too large" ]
	nothing_done
	big_config "$WS/big.json" $((1024 * 1024))
	run "$PREPBOX" prep-mount -c "$WS/big.json" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -d "$BUNDLE/rootfs/made" ]
}

@test "deeply nested JSON: a clear message, no stack overflow" {
	# deeper than cJSON's limit: 1000 arrays in the top-level object are 1001 levels
	printf '{"mkdir": %s%s}' "$(printf '[%.0s' $(seq 1001))" "$(printf ']%.0s' $(seq 1001))" \
		>"$BUNDLE/runtime.json"
	config_refused "prep-all: runtime.json: line 1, column 1010: nested deeper than 1000 levels"
	# far deeper, and never closed
	head -c 1000000 /dev/zero | tr '\0' '[' >"$BUNDLE/runtime.json"
	config_refused "prep-all: runtime.json: line 1, column 1001: nested deeper than 1000 levels"
	head -c 100000 /dev/zero | sed 's/\x0/{"a":/g' >"$BUNDLE/runtime.json"
	config_refused "prep-all: runtime.json: line 1, column 5001: nested deeper than 1000 levels"
	# at the limit (999 arrays in the object), the JSON is read and its shape is what is wrong
	printf '{"mkdir": %s%s}' "$(printf '[%.0s' $(seq 999))" "$(printf ']%.0s' $(seq 999))" \
		>"$BUNDLE/runtime.json"
	config_refused "prep-all: runtime.json: .mkdir[0]: expected a string, got an array"
}

@test "NUL bytes in strings, escaped or raw, in values and keys" {
	printf '{"mkdir": ["made", "a\\u0000b"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: escaped NUL (\u0000) in a string'
	printf '{"mkdir": ["made", "a\0b"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: raw NUL byte in a string'
	printf '{"mkdir": ["made"], "bindNS": {"uts\\u0000": "/x"}}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .bindNS.uts\u0000: escaped NUL (\u0000) in a string'
	printf '{"mkdir": ["made"], "mk\0dir": []}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mk\u0000dir: raw NUL byte in a string'
	# a NUL outside any string
	printf '{"mkdir": ["made"]\0}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: line 1, column 19: unexpected byte 0x00'
}

@test "invalid UTF-8 in strings and keys" {
	printf '{"mkdir": ["made", "caf\xc3"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: invalid UTF-8 in a string (byte 0xc3: truncated sequence)'
	printf '{"mkdir": ["made", "\xff"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: invalid UTF-8 in a string (byte 0xff: never used in UTF-8)'
	printf '{"mkdir": ["made", "\xc0\xaf"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: invalid UTF-8 in a string (byte 0xc0: overlong encoding)'
	printf '{"mkdir": ["made", "\xed\xa0\x80"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: invalid UTF-8 in a string (byte 0xed: encoded surrogate)'
	printf '{"mkdir": ["made", "\xf4\x90\x80\x80"]}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .mkdir[1]: invalid UTF-8 in a string (byte 0xf4: above U+10FFFF)'
	printf '{"mkdir": ["made"], "\x80": 1}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .\x80: invalid UTF-8 in a string (byte 0x80: continuation byte without a start)'
	printf '{"mkdir": ["made"], "bindNS": {"uts": "\\ud800"}}' >"$BUNDLE/runtime.json"
	config_refused 'prep-all: runtime.json: .bindNS.uts: lone surrogate \uD800 in a string'
	# valid UTF-8 is fine
	printf '{"mkdir": ["made", "caf\xc3\xa9", "\xf0\x9f\x93\xa6"]}' >"$BUNDLE/runtime.json"
	run "$PREPBOX" prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -d "$BUNDLE/rootfs/café" ] && [ -d "$BUNDLE/rootfs/📦" ]
}

@test "interface names of 16 bytes are refused; 15 bytes work" {
	needs_applet prep-link
	write_config <<-'EOF'
	{"mkdir": ["made"], "interfaces": [{"name": "eth0", "peer": "veth-0123456789"}, {"name": "abcdefghijklmnop", "add": "bridge"}]}
	EOF
	config_refused 'prep-all: runtime.json: .interfaces[1].name: "abcdefghijklmnop" is longer than 15 bytes'
	write_config <<-'EOF'
	{"mkdir": ["made"], "interfaces": [{"name": "eth0", "peer": "veth-0123456789a"}]}
	EOF
	config_refused 'prep-all: runtime.json: .interfaces[0].peer: "veth-0123456789a" is longer than 15 bytes'
	# 16 bytes of UTF-8 in 8 characters is 16 bytes too
	write_config <<-'EOF'
	{"mkdir": ["made"], "interfaces": [{"name": "éééééééé", "add": "bridge"}]}
	EOF
	config_refused 'prep-all: runtime.json: .interfaces[0].name: "éééééééé" is longer than 15 bytes'
	write_config <<-'EOF'
	{"interfaces": [{"name": "eth-0123456789a", "peer": "veth-0123456789"}]}
	EOF
	run "$PREPBOX" prep-all --pid "$CPID" "$BUNDLE"
	[ "$status" -eq 0 ]
	nsenter -t "$CPID" -n ip -o link show eth-0123456789a
	ip link show veth-0123456789
	ip link del veth-0123456789
}

# long_dest N: a relative destination whose mount point, below the rootfs's
# real path, is N bytes long.
long_dest() {
	local real rest
	real=$(realpath "$BUNDLE/rootfs")
	rest=$(($1 - ${#real} - 1))
	python3 -c "import sys; n = int(sys.argv[1]); print(('a' * 99 + '/') * (n // 100) + 'c' * (n % 100 or 1))" "$rest" |
		head -c "$rest"
}

@test "a mount point longer than the kernel can name is exit 2, with -n too; one byte less works" {
	needs_applet prep-mount
	command -v python3 >/dev/null || skip "no python3 to write the long path"
	dest=$(long_dest 4096)
	[ "$(( $(realpath "$BUNDLE/rootfs" | wc -c) + ${#dest} ))" -eq 4096 ]
	write_config <<-EOF
	{"mkdir": ["made"], "mounts": [{"destination": "$dest", "type": "tmpfs", "source": "tmpfs"}]}
	EOF
	# (glibc says "File name too long", musl "Filename too long")
	for n in -n ''; do
		run "$PREPBOX" prep-mount $n "$BUNDLE"
		[ "$status" -eq 2 ]
		[[ "$output" == "prep-mount: .mounts[0] ($dest): mount on $BUNDLE/rootfs/$dest (4096 bytes, the kernel's limit is 4095): File"*" too long" ]]
	done
	nothing_done
	# a bindNS path below the rootfs too: a short name for a BUNDLE whose
	# real path is long, so that the config's path is not too long itself
	long=$WS/$(python3 -c "print('/'.join(['d' * 200] * 15))")
	mkdir -p "$long/rootfs"
	ln -s "$long" "$WS/s"
	rest=$(python3 -c "import sys; n = int(sys.argv[1]); print(('b' * 99 + '/') * (n // 100) + 'c' * (n % 100 or 1))" \
		$((4096 - $(realpath "$long/rootfs" | wc -c))) | head -c $((4096 - $(realpath "$long/rootfs" | wc -c))))
	echo "{\"bindNS\": {\"uts\": \"$WS/s/rootfs/$rest\"}}" >"$WS/s/runtime.json"
	run "$PREPBOX" prep-all -n --pid "$CPID" "$WS/s"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-all: .bindNS.uts ($WS/s/rootfs/$rest): mount on "*"(4096 bytes, the kernel's limit is 4095): File"*" too long" ]]
	[ -z "$(find "$long/rootfs" -mindepth 1)" ]
	nothing_done
	# counted as the run will find it: "./" is nothing
	write_config <<-EOF
	{"mounts": [{"destination": "$(printf './%.0s' $(seq 1500))x", "type": "tmpfs", "source": "tmpfs"}]}
	EOF
	run "$PREPBOX" prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	dest=$(long_dest 4095)
	write_config <<-EOF
	{"mounts": [{"destination": "$dest", "type": "tmpfs", "source": "tmpfs"}]}
	EOF
	run "$PREPBOX" prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(mount_field "$(realpath "$BUNDLE/rootfs")/$dest" 9)" = tmpfs ]
	run "$PREPBOX" prep-cleanup "$BUNDLE"
	[ "$status" -eq 0 ]
	[ -z "$(mounts_below "$(realpath "$BUNDLE/rootfs")")" ]
}
