#!/usr/bin/env bats
# prep-mount against the reference (LinuxKit's prepare.go, built as seedprep
# by ../shared/reference/build.sh): for configs the reference handles
# correctly, both leave the same mount table. Each runs in a fresh mount
# namespace of its own (unshare -m --propagation private) on a workspace of
# its own; the tables are compared on mountinfo's root, mount point and
# per-mount options, the propagation (shared/master, without group numbers),
# and filesystem type, source and superblock options, with the workspace path
# normalised. Destinations are absolute: the reference takes relative paths
# relative to its working directory.
#
#   SEEDPREP   the reference binary (default: build/seedprep in the source tree)

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-mount
	SEEDPREP=${SEEDPREP:-$PREPBOX_SRC/build/seedprep}
	[ -x "$SEEDPREP" ] || skip "no reference binary at $SEEDPREP (build it with ../shared/reference/build.sh $PREPBOX_SRC/build/seedprep, or set SEEDPREP)"
	setup_workspace
}

teardown() {
	teardown_workspace
}

# table_after KIND CONFIG [SETUP]: in a fresh mount namespace, lay out a
# workspace @W@ (bundle @W@/bundle, @W@/src with a sub-mount at @W@/src/sub,
# an empty tmpfs at @W@/m), run SETUP (shell, with $W), write CONFIG (@W@
# replaced) as the bundle's runtime.json, run prepbox (KIND prepbox) or the
# reference (KIND seed), and print the normalised mount table below @W@ and
# the exit status. KIND none runs neither: the table before.
table_after() {
	local kind=$1 config=$2 setup=${3:-:} w=$WS/$1
	mkdir -p "$w"
	unshare -m --propagation private bash -c '
		set -e
		W=$1 kind=$2 tool=$3 config=$4 setup=$5
		mount -t tmpfs -o mode=0755 cmp "$W"
		mkdir -p "$W/bundle/rootfs" "$W/src/sub" "$W/lower" "$W/m"
		echo low >"$W/lower/l"
		mount -t tmpfs -o nodev sub "$W/src/sub"
		mount -t tmpfs m "$W/m"
		eval "$setup"
		printf "%s\n" "$config" | sed "s|@W@|$W|g" >"$W/bundle/runtime.json"
		set +e
		case $kind in
		prepbox) "$tool" prep-mount "$W/bundle" ;;
		seed) "$tool" fs "$W/bundle" ;;
		esac
		echo "exit $?"
		awk -v w="$W" '\''index($5, w) == 1 {
			for (i = 7; $i != "-"; i++)
				prop = prop " " $i
			gsub(/:[0-9]+/, "", prop)
			line = $4 " " $5 " " $6 " [" prop " ] " $(i + 1) " " $(i + 2) " " $(i + 3)
			gsub(w, "@W@", line)
			print line
			prop = ""
		}'\'' /proc/self/mountinfo
	' table_after "$w" "$kind" "$([ "$kind" = prepbox ] && echo "$PREPBOX" || echo "$SEEDPREP")" \
		"$config" "$setup" 2>&1
}

# same CONFIG [SETUP]: prepbox and the reference leave the same table, and succeed.
same() {
	local mine theirs
	mine=$(table_after prepbox "$@")
	theirs=$(table_after seed "$@")
	echo "prepbox:"
	echo "$mine"
	echo "reference:"
	echo "$theirs"
	[[ $mine == "exit 0"* ]]
	[ "$mine" = "$theirs" ]
	# and the config did change something
	[ "$mine" != "$(table_after none "$@")" ]
}

@test "reference: tmpfs with flags and data" {
	same '{"mounts": [{"destination": "@W@/bundle/rootfs/run", "type": "tmpfs",
	  "source": "tmpfs", "options": ["nosuid", "nodev", "noexec", "size=1m", "mode=0700"]},
	  {"destination": "@W@/bundle/rootfs/ro", "type": "tmpfs", "source": "ro",
	  "options": ["ro", "noatime"]}]}'
}

@test "reference: bind, rbind and type bind" {
	same '{"mounts": [{"destination": "@W@/bundle/rootfs/b", "type": "bind",
	  "source": "@W@/src", "options": ["bind"]},
	  {"destination": "@W@/bundle/rootfs/rb", "source": "@W@/src", "options": ["rbind"]},
	  {"destination": "@W@/bundle/rootfs/tb", "type": "bind", "source": "@W@/src",
	   "options": ["rbind"]}]}'
}

@test "reference: overlay with upperdir and workdir made" {
	same '{"mounts": [{"destination": "@W@/bundle/rootfs/ov", "type": "overlay",
	  "source": "overlay", "options": ["lowerdir=@W@/lower", "upperdir=@W@/o/upper",
	  "workdir=@W@/o/work"]}]}'
}

@test "reference: propagation alone, on the mount already there" {
	same '{"mounts": [{"destination": "@W@/m", "options": ["shared"]}]}'
}

@test "reference: remount of an existing mount" {
	same '{"mounts": [{"destination": "@W@/m", "options": ["remount", "ro"]}]}'
}

@test "reference: several mounts, nested, then mkdir" {
	same '{"mounts": [{"destination": "@W@/bundle/rootfs/var", "type": "tmpfs", "source": "var",
	  "options": ["mode=0755"]},
	  {"destination": "@W@/bundle/rootfs/var/lib/x", "type": "tmpfs", "source": "x",
	   "options": ["nosuid", "size=2m"]},
	  {"destination": "@W@/bundle/rootfs/var/lib/x/b", "source": "@W@/src/sub",
	   "options": ["bind"]}],
	  "mkdir": ["@W@/bundle/rootfs/var/made/here"]}'
}
