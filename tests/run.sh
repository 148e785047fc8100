#!/bin/bash
# Runs prepbox's test suites and ends with one line: "N passed, N failed"
# (", N skipped" after it when some were skipped). Exit status 1 when any failed.
#
#   tests/run.sh [--unit DIR]... [--prepbox BIN]... [--static BIN] [--valgrind DIR]...
#     --unit DIR      every cmocka program DIR/test_* (TAP output)
#     --prepbox BIN   the bats integration suites against BIN, as root, inside
#                     unshare --mount --net --pid --propagation private, with a
#                     tmpfs over /tmp: nothing reaches the host's mounts or links
#     --static BIN    the same suites against the static BIN, plus static.bats;
#                     skipped (and counted so) when BIN was not built
#     --e2e BIN       the end-to-end suites (tests/e2e: runc) against BIN, the same way
#     --sanitized BIN the integration suites against an ASan/UBSan build with
#                     fault injection: a sanitizer report fails the test (exit
#                     134), and every ASan/LSan report file (log_path) is one
#                     more failure
#     --valgrind DIR  every cmocka program DIR/test_* under valgrind (memcheck,
#                     no definite or indirect leak); the tests see
#                     PREPBOX_UNDER_VALGRIND=1 (valgrind 3.19 has no openat2:
#                     a test that needs it skips, saying so)
#     --fuzz DIR      every fuzz target DIR/fuzz_X, built with
#                     tests/fuzz/standalone.c, run once over tests/fuzz/corpus/X
#                     (one result each)
#   TESTS=pattern     run only the bats files whose name matches (e.g. TESTS=cgroup)
set -u

here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0
failures=()

# Counts the TAP lines of one suite's output (read from standard input).
# A plan ("1..N") with fewer results than N counts the missing ones as failed.
count_tap() {
	local suite=$1 line plan=0 seen=0
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		1..*) plan=${line#1..} ;;
		# cmocka writes a skipped test as "not ok N - name # SKIP".
		"not ok "*"# SKIP"*) skipped=$((skipped + 1)); seen=$((seen + 1)) ;;
		"not ok"*) failed=$((failed + 1)); seen=$((seen + 1))
			failures+=("$suite: ${line#not ok }") ;;
		"ok "*"# skip"* | "ok "*"# SKIP"*) skipped=$((skipped + 1)); seen=$((seen + 1)) ;;
		"ok "*) passed=$((passed + 1)); seen=$((seen + 1)) ;;
		esac
	done
	if [ "$seen" -lt "$plan" ]; then
		failed=$((failed + plan - seen))
		failures+=("$suite: $((plan - seen)) tests never reported (crash?)")
	fi
}

# Valgrind's own exit status for what it found, told apart from a failed test.
VALGRIND_STATUS=99

# run_unit DIR [KIND [WRAPPER...]]: the cmocka programs DIR/test_*, each
# run through WRAPPER (none, or valgrind and its options).
run_unit() {
	local dir=$1 kind=${2:-unit} t out
	shift 2 2>/dev/null || shift $#
	for t in "$dir"/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		echo "# $kind: $(basename "$t")"
		# cmocka prints TAP with CMOCKA_MESSAGE_OUTPUT=TAP; a crash leaves no
		# "ok" line for the rest, so a non-zero exit without a failure is one.
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$@" "$t" 2>&1)
		local rc=$? before=$failed
		count_tap "$kind/$(basename "$t")" <<<"$out"
		if [ $rc -ne 0 ] && [ $failed -eq $before ]; then
			failed=$((failed + 1))
			if [ "$kind" = valgrind ] && [ $rc -eq $VALGRIND_STATUS ]; then
				failures+=("$kind/$(basename "$t"): valgrind reported errors or leaks")
			else
				failures+=("$kind/$(basename "$t"): exited with status $rc")
			fi
		fi
	done
}

run_valgrind() {
	if ! command -v valgrind >/dev/null; then
		echo "# valgrind: not installed: the unit tests under valgrind are skipped"
		skipped=$((skipped + 1))
		return 0
	fi
	PREPBOX_UNDER_VALGRIND=1 run_unit "$1" valgrind valgrind -q --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		--error-exitcode=$VALGRIND_STATUS
}

# run_fuzz DIR: each standalone fuzz target once over its seed corpus.
run_fuzz() {
	local t name out rc
	for t in "$1"/fuzz_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		name=${t##*/fuzz_}
		echo "# fuzz corpus: $(basename "$t")"
		out=$("$t" "$here/fuzz/corpus/$name" 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then
			passed=$((passed + 1))
			echo "ok - ${out##*: } of tests/fuzz/corpus/$name"
		else
			failed=$((failed + 1))
			failures+=("fuzz/$(basename "$t"): exited with status $rc")
			printf '%s\n' "$out" | sed 's/^/# /'
			echo "not ok - $(basename "$t") over tests/fuzz/corpus/$name"
		fi
	done
}

bats_files() {
	local f dir=integration
	[ "$1" = e2e ] && dir=e2e
	for f in "$here/$dir"/*.bats; do
		[ -n "${TESTS:-}" ] && [[ $(basename "$f") != *$TESTS* ]] && continue
		[ "$(basename "$f")" = static.bats ] && [ "$1" != static ] && continue
		echo "$f"
	done
}

run_integration() {
	local bin=$1 kind=$2 files
	mapfile -t files < <(bats_files "$kind")
	[ ${#files[@]} -gt 0 ] || return 0
	if [ ! -x "$bin" ]; then
		local n
		n=$(bats --count "${files[@]}")
		echo "# integration ($kind): $bin was not built: $n tests skipped"
		skipped=$((skipped + n))
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		local n
		n=$(bats --count "${files[@]}")
		echo "# integration ($kind): needs root: $n tests skipped"
		skipped=$((skipped + n))
		return 0
	fi
	bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
	echo "# integration ($kind): $bin"
	# The whole suite runs in its own mount, network and pid namespaces.
	# Mount events stay private, /tmp is a fresh tmpfs, /sys is a sysfs of
	# the new network namespace (which starts with only lo), and every
	# process of the suite ends with it.
	# A sanitizer report aborts the binary (exit 134), failing the test that
	# checks its status. ASan and LSan also write each report to a file of
	# its own (log_path), so that one no test looked at (a teardown's
	# "|| true") still fails the suite: each file left is a "not ok" line.
	# (UBSan, as gcc links it beside ASan, ignores log_path: its reports stay
	# on standard error.)
	local reports=/tmp/.sanitizer-reports
	count_tap "integration/$kind" < <(PREPBOX=$bin PREPBOX_KIND=$kind \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$reports/asan \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$reports/ubsan \
		PREPBOX_SRC=$(cd "$here/.." && pwd) REPORTS=$reports \
		unshare --mount --net --pid --fork --mount-proc --propagation private -- \
		bash -c 'mount -t tmpfs -o mode=1777 prepbox-tests /tmp &&
			mount -t sysfs sysfs /sys && mkdir -m 1777 "$REPORTS" || exit
			bats --tap "$@"
			for f in "$REPORTS"/*; do
				[ -f "$f" ] || continue
				sed "s/^/# /" "$f"
				echo "not ok - sanitizer report ${f##*/}"
			done' \
		bats "${files[@]}" 2>&1)
}

while [ $# -gt 0 ]; do
	case $1 in
	--unit) run_unit "$2"; shift 2 ;;
	--valgrind) run_valgrind "$2"; shift 2 ;;
	--fuzz) run_fuzz "$2"; shift 2 ;;
	--prepbox) run_integration "$2" dynamic; shift 2 ;;
	--static) run_integration "$2" static; shift 2 ;;
	--e2e) run_integration "$2" e2e; shift 2 ;;
	--sanitized) run_integration "$2" sanitized; shift 2 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "# failed:"
	printf '#   %s\n' "${failures[@]}"
fi
summary="$passed passed, $failed failed"
[ $skipped -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ $failed -eq 0 ]
