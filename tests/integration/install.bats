#!/usr/bin/env bats
# make install (Makefile): the binary, a relative prep-X -> prepbox link and
# the page prep-X.1 for each applet of the build (its --list), and
# prepbox.1, into DESTDIR. Installed from the make output tree of the binary
# under test, without rebuilding anything there. Tested once, with the
# dynamic build.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	[ "$PREPBOX_KIND" != static ] || skip "make install is tested with the dynamic build only"
	OBJ=$(dirname "$PREPBOX")
	[ -f "$OBJ/.config" ] && [ -f "$OBJ/config.mk" ] ||
		skip "$OBJ is not a make output tree (no .config and config.mk beside $PREPBOX)"
	[ -f "${PREPBOX_SRC:-}/Makefile" ] || skip "no source tree in PREPBOX_SRC"
	command -v make >/dev/null || skip "make is not installed"
	setup_workspace
	ROOT=$WS/root
	AS_USER=()
	mapfile -t APPLETS < <("$PREPBOX" --list)
}

teardown() {
	teardown_workspace
}

# make_install [ARGS]: make install DESTDIR=$ROOT PREFIX=/usr from $OBJ, as
# bats's run (as the user AS_USER switches to, if any). -o keeps make from
# remaking the binary and the configuration whatever their timestamps: the
# output tree is shared with the other suites (and the sources may be newer
# than it), so nothing is written there, and what is installed is the binary
# under test.
make_install() {
	run "${AS_USER[@]}" make --no-print-directory -C "$PREPBOX_SRC" O="$OBJ" \
		-o "$OBJ/prepbox" -o "$OBJ/config.mk" -o "$OBJ/.config" \
		-o "$OBJ/generated/autoconf.h" install DESTDIR="$ROOT" PREFIX=/usr "$@"
}

# render PAGE: the page as man(1) shows it, unwrapped up to 200 columns.
render() {
	MANWIDTH=200 man -l "$1" 2>&1
}

# section PAGE NAME: the lines of section NAME of the rendered PAGE.
section() {
	render "$1" | awk -v s="$2" '/^[A-Z]/ { on = ($0 == s); next } on'
}

# options: the option names (-c, --config) in standard input, one per line, sorted.
options() {
	grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' | sed 's/^[ ,]*//' | sort -u
}

@test "make install: the binary under test, and a relative link that runs each applet" {
	before=$(stat -c '%n %Y' "$OBJ/prepbox" "$OBJ/.config" "$OBJ/config.mk")
	make_install
	[ "$status" -eq 0 ]
	[[ "$output" != *" CC "* && "$output" != *" LINK "* ]]
	# Nothing in the output tree was remade.
	[ "$(stat -c '%n %Y' "$OBJ/prepbox" "$OBJ/.config" "$OBJ/config.mk")" = "$before" ]

	bin=$ROOT/usr/bin
	[ -f "$bin/prepbox" ] && [ ! -L "$bin/prepbox" ]
	[ "$(stat -c %a "$bin/prepbox")" = 755 ]
	cmp "$PREPBOX" "$bin/prepbox"
	run "$bin/prepbox" --version
	[ "$status" -eq 0 ]
	[ "$output" = "$("$PREPBOX" --version)" ]
	version=${output#prepbox }

	for a in "${APPLETS[@]}"; do
		[ -L "$bin/$a" ]
		[ "$(readlink "$bin/$a")" = prepbox ]
		run "$bin/$a" --version
		[ "$status" -eq 0 ]
		[ "$output" = "$a (prepbox) $version" ]
	done
	# Nothing else: no link for an applet the build left out.
	[ "$(ls "$bin" | sort)" = "$(printf '%s\n' prepbox "${APPLETS[@]}" | sort)" ]
}

@test "make install: prepbox.1 and one page per installed applet, nothing else" {
	make_install
	[ "$status" -eq 0 ]
	man1=$ROOT/usr/share/man/man1
	for p in prepbox "${APPLETS[@]}"; do
		[ -f "$man1/$p.1" ]
		[ "$(stat -c %a "$man1/$p.1")" = 644 ]
		cmp "$PREPBOX_SRC/man/$p.1" "$man1/$p.1"
	done
	[ "$(ls "$man1" | sort)" = "$(printf '%s.1\n' prepbox "${APPLETS[@]}" | sort)" ]
	[ "$(ls "$ROOT/usr/share/man")" = man1 ]
}

@test "each installed page renders without warnings, under its own name" {
	command -v groff >/dev/null || skip "groff is not installed"
	command -v man >/dev/null || skip "man is not installed"
	make_install
	[ "$status" -eq 0 ]
	for p in prepbox "${APPLETS[@]}"; do
		page=$ROOT/usr/share/man/man1/$p.1
		run groff -man -ww -z -Tutf8 "$page"
		[ "$status" -eq 0 ]
		[ -z "$output" ] || { echo "$p.1: $output"; false; }
		run render "$page"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "${p^^}(1) "* ]]
		[[ "$(section "$page" NAME)" == "       $p - "* ]]
	done
}

@test "each applet's page: SYNOPSIS is its usage line, OPTIONS are the options it takes" {
	command -v man >/dev/null || skip "man is not installed"
	make_install
	[ "$status" -eq 0 ]
	for a in "${APPLETS[@]}"; do
		page=$ROOT/usr/share/man/man1/$a.1
		usage=$("$PREPBOX" "$a" --help | head -n 1)
		synopsis=$(section "$page" SYNOPSIS | sed 's/^ *//; /^$/d' | tr -s ' ')
		[ "Usage: $synopsis" = "$usage" ] || { echo "$a.1: $synopsis"; false; }
		# The options in the page's OPTIONS tags and in --help's Options.
		documented=$(section "$page" OPTIONS | grep -E '^ {7}-' | options)
		taken=$("$PREPBOX" "$a" --help | sed -n '/^Options:/,$p' | options)
		[ -n "$taken" ]
		[ "$documented" = "$taken" ] ||
			{ echo "$a.1 documents: $documented"; echo "$a takes: $taken"; false; }
	done
}

@test "a second make install over the first succeeds, and puts back a link changed since" {
	make_install
	[ "$status" -eq 0 ]
	first=${APPLETS[0]}
	ln -sfn /bin/true "$ROOT/usr/bin/$first"
	make_install
	[ "$status" -eq 0 ]
	[ "$(readlink "$ROOT/usr/bin/$first")" = prepbox ]
	snapshot=$(tree "$ROOT")
	make_install
	[ "$status" -eq 0 ]
	[ "$(tree "$ROOT")" = "$snapshot" ]
	run "$ROOT/usr/bin/$first" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "$first (prepbox) "* ]]
}

@test "make install works for a user who is not root, into a DESTDIR of their own" {
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	"${AS_USER[@]}" test -r "$PREPBOX_SRC/Makefile" -a -x "$PREPBOX" ||
		skip "the user nobody cannot read $PREPBOX_SRC or run $PREPBOX"
	mkdir "$WS/user"
	chown 65534:65534 "$WS/user"
	ROOT=$WS/user/root
	make_install
	[ "$status" -eq 0 ]
	[ "$(stat -c %u "$ROOT/usr/bin/prepbox")" = 65534 ]
	for a in "${APPLETS[@]}"; do
		[ "$(readlink "$ROOT/usr/bin/$a")" = prepbox ]
		[ -f "$ROOT/usr/share/man/man1/$a.1" ]
	done
}
