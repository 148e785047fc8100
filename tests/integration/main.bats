#!/usr/bin/env bats
# The multi-call dispatcher and the shared command line (DESIGN.md sections 1, 2).

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	setup_workspace
	# The applets this binary was built with, in the order of applets.h.
	mapfile -t APPLETS < <("$PREPBOX" --list)
}

teardown() {
	teardown_workspace
}

@test "--list prints the applets the build configuration selected, in order" {
	run_prepbox --list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 1 ]
	# The build tree keeps the configuration it was built from next to the binary.
	config=$(dirname "$PREPBOX")/.config
	[ -f "$config" ] || skip "no .config beside $PREPBOX"
	expected=
	for a in mount cgroup link bindns cleanup all; do
		grep -qx "CONFIG_PREP_${a^^}=y" "$config" && expected+="prep-$a"$'\n'
	done
	[ "$output" = "${expected%$'\n'}" ]
}

@test "argv[0] names the applet: with a directory, relative, through PATH, with a leading -" {
	ln -s "$PREPBOX" "$WS/prep-cleanup"
	run "$WS/prep-cleanup" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "prep-cleanup (prepbox) "* ]]
	cd "$WS"
	run ./prep-cleanup --version
	[ "$status" -eq 0 ]
	[[ "$output" == "prep-cleanup (prepbox) "* ]]
	PATH=$WS:$PATH run prep-cleanup --version
	[ "$status" -eq 0 ]
	[[ "$output" == "prep-cleanup (prepbox) "* ]]
	run bash -c 'exec -a -prep-cleanup "$PREPBOX" --version'
	[ "$status" -eq 0 ]
	[[ "$output" == "prep-cleanup (prepbox) "* ]]
}

@test "prepbox APPLET and the short name run the same applet" {
	run_prepbox prep-cleanup --version
	[ "$status" -eq 0 ]
	long=$output
	run_prepbox cleanup --version
	[ "$status" -eq 0 ]
	[ "$output" = "$long" ]
	[ "$long" = "prep-cleanup (prepbox) $("$PREPBOX" --version | cut -d' ' -f2)" ]
}

@test "an empty argv[0] and argc 0 are usage errors, not crashes" {
	run bash -c 'exec -a "" "$PREPBOX" --list'
	[ "$status" -eq 2 ]
	[[ "$output" == "prepbox: no program name"* ]]
	# exec with an empty argument vector: argc is 0, argv[0] is NULL.
	run perl -e 'exec { $ENV{PREPBOX} } () or die "exec: $!"'
	[ "$status" -eq 2 ]
	[[ "$output" == "prepbox: no program name"* ]]
	run bash -c 'exec -a "/" "$PREPBOX"'
	[ "$status" -eq 2 ]
	# basename(3): trailing slashes do not count.
	run bash -c 'exec -a "/usr/bin/prep-cleanup//" "$PREPBOX" --version'
	[ "$status" -eq 0 ]
	[[ "$output" == "prep-cleanup (prepbox) "* ]]
}

@test "an unknown applet is exit 127, by name or by argv[0]" {
	run -127 "$PREPBOX" frobnicate
	[ "$output" = "prepbox: unknown applet 'frobnicate' (prepbox --list shows them)" ]
	ln -s "$PREPBOX" "$WS/prep-frob"
	run -127 "$WS/prep-frob"
	[ "$output" = "prepbox: unknown applet 'prep-frob' (prepbox --list shows them)" ]
}

@test "prepbox --help and --version; no arguments, or one too many, is a usage error" {
	run_prepbox --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: prepbox APPLET [ARGS]"* ]]
	run_prepbox --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^prepbox\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	run --separate-stderr "$PREPBOX"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "Usage: prepbox"* ]]
	run_prepbox --bogus
	[ "$status" -eq 2 ]
	# options without an argument take none
	for opt in --version -V --list; do
		run --separate-stderr "$PREPBOX" $opt extra
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "prepbox: $opt: unexpected argument 'extra'" ]
	done
	# --help APPLET is the applet's help, as busybox has it
	for opt in --help -h; do
		for name in prep-cleanup cleanup; do
			run --separate-stderr "$PREPBOX" $opt $name
			[ "$status" -eq 0 ]
			[ "$output" = "$("$PREPBOX" prep-cleanup --help)" ]
		done
		run -127 --separate-stderr "$PREPBOX" $opt extra
		[ "$status" -eq 127 ]
		[ "$stderr" = "prepbox: unknown applet 'extra' (prepbox --list shows them)" ]
		run --separate-stderr "$PREPBOX" $opt prep-cleanup extra
		[ "$status" -eq 2 ]
		[ "$stderr" = "prepbox: $opt: unexpected argument 'extra'" ]
	done
}

@test "--install makes absolute links for every applet; a second run is fine" {
	mkdir "$WS/bin"
	run_prepbox --install "$WS/bin"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	for a in "${APPLETS[@]}"; do
		[ -L "$WS/bin/$a" ]
		[ "$(readlink "$WS/bin/$a")" = "$(readlink -f "$PREPBOX")" ]
	done
	[ "$(ls "$WS/bin" | wc -l)" -eq "${#APPLETS[@]}" ]
	run_prepbox --install "$WS/bin"
	[ "$status" -eq 0 ]
	run "$WS/bin/${APPLETS[0]}" --version
	[ "$status" -eq 0 ]
}

@test "--install leaves anything else alone, unless -f" {
	mkdir "$WS/bin"
	first=${APPLETS[0]} last=${APPLETS[-1]}
	echo "mine" >"$WS/bin/$first"
	ln -s /bin/true "$WS/bin/$last"
	run_prepbox --install "$WS/bin"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$WS/bin/$first exists and is not a link to $(readlink -f "$PREPBOX"); left alone"* ]]
	[ "$(cat "$WS/bin/$first")" = "mine" ]
	[ "$(readlink "$WS/bin/$last")" = /bin/true ]
	run_prepbox --install -f "$WS/bin"
	[ "$status" -eq 0 ]
	[ "$(readlink "$WS/bin/$first")" = "$(readlink -f "$PREPBOX")" ]
	[ "$(readlink "$WS/bin/$last")" = "$(readlink -f "$PREPBOX")" ]
	# Nothing else is left behind (the links are made aside and renamed).
	[ "$(ls -A "$WS/bin" | wc -l)" -eq "${#APPLETS[@]}" ]
	# A directory in the way is reported even with -f.
	rm "$WS/bin/$first"
	mkdir "$WS/bin/$first"
	run_prepbox --install -f "$WS/bin"
	[ "$status" -eq 1 ]
	[ -d "$WS/bin/$first" ]
	[ "$(ls -A "$WS/bin" | wc -l)" -eq "${#APPLETS[@]}" ]
}

@test "--install: a missing DIR or no DIR is an error; a relative DIR works" {
	run_prepbox --install "$WS/missing"
	[ "$status" -eq 2 ]
	[ "$output" = "prepbox: --install: $WS/missing: No such file or directory" ]
	run_prepbox --install
	[ "$status" -eq 2 ]
	touch "$WS/file"
	run_prepbox --install "$WS/file"
	[ "$status" -eq 2 ]
	mkdir "$WS/rel"
	cd "$WS"
	run_prepbox --install rel
	[ "$status" -eq 0 ]
	[ "$(readlink "rel/${APPLETS[0]}")" = "$(readlink -f "$PREPBOX")" ]
}

@test "every applet answers --help on standard output with exit 0" {
	for a in "${APPLETS[@]}"; do
		run --separate-stderr "$PREPBOX" "$a" --help
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "Usage: $a "* ]]
		[ -z "$stderr" ]
	done
}

@test "bad command lines are exit 2 with a reason" {
	needs_applet prep-cgroup
	run_prepbox prep-cgroup --frob "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-cgroup: unknown option --frob
Try 'prep-cgroup --help'." ]
	run_prepbox prep-cgroup -Z "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: unknown option -Z"* ]]
	run_prepbox prep-cgroup "$BUNDLE" extra
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: unexpected argument 'extra'"* ]]
	run_prepbox prep-cgroup --cgroup-root
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: option --cgroup-root needs an argument"* ]]
	run_prepbox prep-cgroup
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: give BUNDLE, or the config with -c FILE"* ]]
	run_prepbox prep-cgroup ""
	[ "$status" -eq 2 ]
	run_prepbox prep-cgroup -c "$WS/none.json"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: "*"$WS/none.json"*"No such file or directory" ]]
}

@test "options may come after BUNDLE; -- ends them" {
	needs_applet prep-cgroup
	mkdir "$WS/-odd"
	run_prepbox prep-cgroup "$BUNDLE" -n --cgroup-root "$WS"
	[ "$status" -eq 0 ]
	cd "$WS"
	run_prepbox prep-cgroup -n -- -odd
	[ "$status" -eq 0 ]
}

@test "the config can come from standard input with -c -" {
	needs_applet prep-cgroup
	cgroup2_setup
	run bash -c 'echo "{\"cgroups\": [\"stdin\"]}" | "$PREPBOX" prep-cgroup --cgroup-root "$1" -c -' _ "$CGROOT"
	[ "$status" -eq 0 ]
	[ -d "$CGROOT/stdin" ]
	run bash -c 'echo "{\"cgroups\": [1]}" | "$PREPBOX" prep-cgroup --cgroup-root "$1" -c -' _ "$CGROOT"
	[ "$status" -eq 2 ]
	[[ "$output" == "prep-cgroup: <stdin>: .cgroups[0]: "* ]]
}

@test "output that cannot be written is a failure, not a success" {
	run_prepbox --list
	[ "$status" -eq 0 ]
	run bash -c '"$PREPBOX" --list >/dev/full'
	[ "$status" -eq 1 ]
	[ "$output" = "prepbox: write standard output: No space left on device" ]
	needs_applet prep-cgroup
	cgroup2_setup
	echo '{"cgroups": ["x"]}' >"$WS/c.json"
	run bash -c '"$PREPBOX" prep-cgroup -n --cgroup-root "$1" -c "$2" >/dev/full' _ "$CGROOT" "$WS/c.json"
	[ "$status" -eq 1 ]
	[ "$output" = "prep-cgroup: write standard output: No space left on device" ]
}

@test "a message is one line, whatever the names in it hold" {
	needs_applet prep-mount
	mkdir "$WS/ro"
	mount -t tmpfs -o ro ro "$WS/ro"
	write_config <<-EOF
	{"mkdir": ["$WS/ro/a\nb\u001b[2Jc"]}
	EOF
	run --separate-stderr "$PREPBOX" prep-mount "$BUNDLE"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "prep-mount: "*"$WS/ro/a\\nb\\033[2Jc"*"Read-only file system" ]]
}

@test "a message is one write(2): not mixed byte by byte with other writers" {
	needs_applet prep-mount
	command -v strace >/dev/null || skip "no strace to count the writes"
	mkdir "$WS/ro"
	mount -t tmpfs -o ro ro "$WS/ro"
	write_config <<-EOF
	{"mkdir": ["made", "$WS/ro/a\tb/c"]}
	EOF
	# LeakSanitizer cannot run under ptrace.
	run --separate-stderr env ASAN_OPTIONS=detect_leaks=0 strace -o "$WS/strace" -e trace=write,writev \
		"$PREPBOX" prep-mount -v "$BUNDLE"
	[ "$status" -eq 1 ]
	# the action (-v), the error, the undo: three lines, three writes
	[ "${#stderr_lines[@]}" -eq 3 ]
	[ "${stderr_lines[0]}" = "prep-mount: mkdir $BUNDLE/rootfs/made" ]
	[ "${stderr_lines[1]}" = "prep-mount: .mkdir[1] ($WS/ro/a\\tb/c): mkdir $WS/ro/a\\tb: Read-only file system" ]
	[ "${stderr_lines[2]}" = "prep-mount: undo: rmdir $BUNDLE/rootfs/made" ]
	[ "$(grep -c '^write(2,\|^writev(2,' "$WS/strace")" -eq 3 ]
}
