#!/usr/bin/env bats
# prep-mount: relative destinations and mkdir entries stay inside
# BUNDLE/rootfs whatever the image holds ("..", absolute and relative
# symlinks, a symlink as the last component, /proc/self/root), and nothing
# outside the bundle changes. Each symlink points at $WS/outside (or /etc)
# from the host's point of view, so that a lookup that escaped would show.

load helpers

setup() {
	bats_require_minimum_version 1.5.0
	needs_applet prep-mount
	setup_workspace
	R=$BUNDLE/rootfs
	OUT=$WS/outside
	mkdir -p "$OUT/target"
	# a name nobody has in /etc, so that an escape there would show
	NAME=prepbox-confine-test.$$
	[ ! -e "/etc/$NAME" ]
}

teardown() {
	# an escape into the host's /etc would be a bug: clean it up anyway
	rmdir "/etc/$NAME" 2>/dev/null || true
	teardown_workspace
}

# outside: the state of everything but the rootfs: the workspace's tree and
# mounts outside BUNDLE/rootfs, and /etc's names.
outside() {
	(cd "$WS" && find . -path ./bundle/rootfs -prune -o -printf '%y %m %p -> %l\n' | sort)
	mount_table | awk -v r="$R" '$3 != r && index($3, r "/") != 1'
	ls -a /etc
}

# mounted_inside DIR: DIR (a path inside the rootfs) is a mount point.
mounted_inside() {
	mounts_below "$R/$1" | grep -qxF "$R/$1"
}

# eloop: the output ends in strerror(ELOOP) (glibc's or musl's words).
eloop() {
	[[ $output == *": Too many levels of symbolic links" || $output == *": Symbolic link loop" ]]
}

# run_confined STATUS [OPTION...]: run prep-mount on the config, expecting
# STATUS; check that nothing outside the rootfs changed.
run_confined() {
	local want=$1 before
	before=$(outside)
	run_prepbox prep-mount "${@:2}" "$BUNDLE"
	echo "$output"
	[ "$status" -eq "$want" ]
	[ "$(outside)" = "$before" ]
}

@test "../../x is rootfs/x" {
	write_config <<-'EOF'
	{"mounts": [{"destination": "../../x", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["../../../m/n", "a/../../../../k"]}
	EOF
	run_confined 0
	mounted_inside x
	[ -d "$R/m/n" ] && [ -d "$R/k" ]
}

@test "an absolute symlink rootfs/a -> /etc is rootfs/etc" {
	mkdir -p "$R/etc"
	ln -s /etc "$R/a"
	write_config <<-EOF
	{"mounts": [{"destination": "a", "type": "tmpfs", "source": "t"},
	            {"destination": "a/$NAME", "type": "tmpfs", "source": "t2"}],
	 "mkdir": ["a/$NAME/made", "a/other"]}
	EOF
	run_confined 0
	mounted_inside etc
	mounted_inside "etc/$NAME"
	[ -d "$R/etc/$NAME/made" ] && [ -d "$R/etc/other" ]
	[ -z "$(mounts_below /etc)" ]
	[ ! -e "/etc/$NAME" ]
}

@test "a relative symlink chain climbing out stays inside" {
	mkdir -p "$R/d1/d2" "$R/outside/target"
	# from the host, d1/d2/up is $WS, and up/outside/target is $OUT/target
	ln -s ../../../.. "$R/d1/d2/up"
	ln -s d1/d2/up/outside "$R/l1"
	ln -s ./l1/target "$R/l2"
	[ "$(readlink -f "$R/l2")" = "$OUT/target" ]
	write_config <<-'EOF'
	{"mounts": [{"destination": "l2", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["l1/made", "d1/d2/up/up2/made"]}
	EOF
	run_confined 0
	mounted_inside outside/target
	[ -d "$R/outside/made" ]
	[ -d "$R/up2/made" ]
	[ "$(ls -A "$OUT")" = target ] && [ -z "$(ls -A "$OUT/target")" ]
}

@test "a symlink as the last component: the mount is on its target inside" {
	mkdir -p "$R/target"
	ln -s /target "$R/last"
	ln -s "$OUT/target" "$R/dangling"
	write_config <<-EOF
	{"mounts": [{"destination": "last", "source": "$WS/outside", "options": ["bind", "ro"]}]}
	EOF
	run_confined 0
	mounted_inside target
	has_ro=$(mount_field "$R/target" 6)
	[[ $has_ro == ro,* ]]
	[ -L "$R/last" ]
	# one whose target is missing inside the rootfs is an error, not an escape
	write_config <<-EOF
	{"mounts": [{"destination": "dangling", "type": "tmpfs", "source": "t"}]}
	EOF
	before=$(mount_table)
	run_confined 1
	[[ $output == *".mounts[0] (dangling): "*"No such file or directory"* ]]
	[ "$(mount_table)" = "$before" ]
}

@test "a symlink as the last component is rolled back through its target" {
	mkdir -p "$R/target"
	ln -s /target "$R/last"
	write_config <<-'EOF'
	{"mounts": [{"destination": "last", "type": "tmpfs", "source": "t"},
	            {"destination": "x", "type": "nosuchfs", "source": "n"}]}
	EOF
	before=$(mount_table; tree "$R")
	run_confined 1
	[ "$(mount_table; tree "$R")" = "$before" ]
}

@test "/proc/self/root in the rootfs: plain directories when no proc is there" {
	write_config <<-EOF
	{"mounts": [{"destination": "proc/self/root/$NAME", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["proc/self/root/etc/$NAME"]}
	EOF
	run_confined 0
	mounted_inside "proc/self/root/$NAME"
	[ -d "$R/proc/self/root/etc/$NAME" ]
}

@test "/proc/self/root in the rootfs: the magic link is refused when proc is there" {
	mkdir -p "$R/proc"
	mount -t proc proc "$R/proc"
	ln -s /proc/self/root "$R/root-link"
	write_config <<-EOF
	{"mounts": [{"destination": "proc/self/root/etc/$NAME", "type": "tmpfs", "source": "t"}]}
	EOF
	before=$(mount_table; find "$R" -path "$R/proc" -prune -o -print)
	run_confined 1
	[[ $output == *".mounts[0] (proc/self/root/etc/$NAME): "* ]]
	eloop
	write_config <<-EOF
	{"mounts": [{"destination": "root-link/etc/$NAME", "type": "tmpfs", "source": "t"}]}
	EOF
	run_confined 1
	eloop
	write_config <<-EOF
	{"mkdir": ["root-link/etc/$NAME"]}
	EOF
	run_confined 1
	[[ $output == *".mkdir[0] (root-link/etc/$NAME): "*": a symlink loop, or a /proc magic link, which is not followed inside the rootfs: "* ]]
	eloop
	[ "$(mount_table; find "$R" -path "$R/proc" -prune -o -print)" = "$before" ]
}

@test "a relative bind source rootfs/... is taken as written inside the rootfs: no symlink of the image is followed" {
	echo bundle >"$BUNDLE/marker"
	mkdir -p "$R/etc"
	echo image >"$R/etc/marker"
	ln -s / "$R/up"
	ln -s /etc/marker "$R/x"
	ln -s etc "$R/rel"
	# even those that stay inside: the image could point them at an earlier mount
	for source in rootfs/up/etc/marker rootfs/x rootfs/rel/marker; do
		write_config <<-EOF
		{"mounts": [{"destination": "b", "source": "$source", "options": ["bind", "ro"]}]}
		EOF
		run_confined 2
		[ "$output" = "prep-mount: .mounts[0] (b): bind source: $R/${source#rootfs/} goes through a symlink, which is not followed here: name the real path" ]
		[ ! -e "$R/b" ]
	done
	# ".." is a word: rootfs/.. is BUNDLE, named by the config itself
	write_config <<-'EOF'
	{"mounts": [{"destination": "z", "source": "rootfs/etc/marker", "options": ["bind", "ro"]},
	            {"destination": "y", "source": "rootfs/../marker", "options": ["bind", "ro"]},
	            {"destination": "w", "source": "rootfs/x/../etc/marker", "options": ["bind", "ro"]}]}
	EOF
	run_confined 0
	[ "$(cat "$R/z")" = image ] && [ "$(cat "$R/y")" = bundle ] && [ "$(cat "$R/w")" = image ]
}

@test "a relative bind source outside rootfs/ may not lead into the rootfs through a symlink" {
	mkdir -p "$R/etc" "$BUNDLE/view"
	echo image >"$R/etc/f"
	ln -s rootfs/etc "$BUNDLE/etc-link"
	ln -s /etc "$BUNDLE/hostetc"
	# the rootfs seen through another mount of it: found by device and inode
	mount --bind "$R" "$BUNDLE/view"
	for source in etc-link/f:$R etc-link:$R view/etc/f:$BUNDLE/view rootfs/../view/etc:$BUNDLE/view; do
		write_config <<-EOF
		{"mounts": [{"destination": "e", "source": "${source%%:*}", "type": "bind"}]}
		EOF
		run_confined 2
		[ "$output" = "prep-mount: .mounts[0] (e): bind source: ${source%%:*} leads into the rootfs, at ${source#*:}: name it rootfs/..." ]
	done
	umount "$BUNDLE/view"
	# inside BUNDLE, an absolute symlink counts from BUNDLE
	write_config <<-'EOF'
	{"mounts": [{"destination": "e", "source": "hostetc", "type": "bind"}]}
	EOF
	run_confined 2
	[ "$output" = "prep-mount: .mounts[0] (e): bind source: open $BUNDLE/hostetc (a symlink in BUNDLE counts from BUNDLE, an absolute one as BUNDLE/..., and \"..\" stops there: name the real path): No such file or directory" ]
	mkdir "$BUNDLE/etc"
	write_config <<-'EOF'
	{"mounts": [{"destination": "e", "source": "hostetc", "type": "bind"},
	            {"destination": "f", "source": "rootfs/etc/f", "type": "bind"}]}
	EOF
	run_confined 0
	[ -z "$(ls -A "$R/e")" ] && [ "$(cat "$R/f")" = image ]
}

@test "a relative bind source is walked from BUNDLE and refused where it enters the rootfs, before any symlink of the image" {
	mkdir -p "$R/srv/app" "$R/srv2"
	echo '{"secret": "the runtime'"'"'s config"}' >"$BUNDLE/config.json"
	ln -s rootfs/srv/app "$BUNDLE/appdata"
	ln -s /config.json "$R/srv/app/conf"
	# a symlink of BUNDLE whose target goes through the image and out again
	ln -s / "$R/srv2/up"
	ln -s rootfs/srv2/up "$BUNDLE/through"
	[ "$(readlink -f "$BUNDLE/through")" = / ]
	for source in appdata/conf appdata through/config.json; do
		write_config <<-EOF
		{"mounts": [{"destination": "etc/app.conf", "source": "$source", "options": ["bind", "ro"]}]}
		EOF
		for n in -n -v; do
			run_confined 2 $n
			[ "$output" = "prep-mount: .mounts[0] (etc/app.conf): bind source: $source leads into the rootfs, at $R: name it rootfs/..." ]
		done
	done
	[ ! -e "$R/etc" ]
	# BUNDLE's own symlinks, absolute ones counting from BUNDLE, are followed
	mkdir -p "$BUNDLE/data/sub"
	echo data >"$BUNDLE/data/sub/f"
	ln -s /data/sub "$BUNDLE/abs"
	ln -s ../abs "$BUNDLE/data/up"
	ln -s ../../../data "$BUNDLE/climb"
	ln -s loop2 "$BUNDLE/loop1"
	ln -s loop1 "$BUNDLE/loop2"
	write_config <<-'EOF'
	{"mounts": [{"destination": "l", "source": "loop1/f", "options": ["bind", "ro"]}]}
	EOF
	run_confined 2
	eloop
	[[ $output == "prep-mount: .mounts[0] (l): bind source: open $BUNDLE/loop1/f: "* ]]
	write_config <<-'EOF'
	{"mounts": [{"destination": "a", "source": "abs/f", "options": ["bind", "ro"]},
	            {"destination": "b", "source": "data/up/f", "options": ["bind", "ro"]},
	            {"destination": "c", "source": "climb/sub/f", "options": ["bind", "ro"]}]}
	EOF
	run_confined 0
	[ "$(cat "$R/a")" = data ] && [ "$(cat "$R/b")" = data ] && [ "$(cat "$R/c")" = data ]
}

@test "-n and -v show a relative bind source where it was resolved" {
	mkdir -p "$R/etc" "$BUNDLE/data"
	echo image >"$R/etc/f"
	ln -s /etc/f "$R/x"
	ln -s data "$BUNDLE/d"
	write_config <<-'EOF'
	{"mounts": [{"destination": "z", "source": "rootfs/x/../etc/f", "options": ["bind"]},
	            {"destination": "w", "source": "./d", "options": ["bind"]}]}
	EOF
	plan="touch $R/z
mount -o bind $R/etc/f $R/z
mkdir $R/w
mount -o bind $BUNDLE/data $R/w"
	run --separate-stderr "$PREPBOX" prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "${plan/mkdir/mkdir -p}" ]
	run --separate-stderr "$PREPBOX" prep-mount -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "$(sed 's/^/prep-mount: /' <<<"$plan")" ]
	[ "$(cat "$R/z")" = image ]
}

@test "an absolute destination is trusted and used as given" {
	ln -s "$OUT/target" "$WS/abs-link"
	write_config <<-EOF
	{"mounts": [{"destination": "$WS/abs-link", "type": "tmpfs", "source": "t"}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(mounts_below "$OUT/target")" = "$OUT/target" ]
}

# shared_victim: VICTIM, a directory of the workspace made a shared mount (a
# bind onto itself), standing for a host mount with peers (/ on systemd).
shared_victim() {
	VICTIM=$WS/victim
	mkdir -p "$VICTIM/x"
	echo secret >"$VICTIM/x/file"
	mount --bind "$VICTIM" "$VICTIM"
	mount --make-shared "$VICTIM"
}

@test "a symlink in the image cannot lead a mount into a shared bind, where it would reach the peers" {
	shared_victim
	ln -s /hostlog/x "$R/data"
	ln -s /hostlog "$R/log"
	write_config <<-EOF
	{"mounts": [{"destination": "hostlog", "source": "$VICTIM", "options": ["rbind"]},
	            {"destination": "data", "type": "tmpfs", "source": "t", "options": ["size=1m"]}]}
	EOF
	before=$(mount_table; tree "$WS")
	run_prepbox prep-mount "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"prep-mount: .mounts[1] (data): data leads through a symlink in the image to $R/hostlog/x, on a mount shared with $VICTIM "*": a mount there would appear outside the rootfs, at $VICTIM/x: "* ]]
	[ "$(mount_table; tree "$WS")" = "$before" ]
	[ "$(mounts_below "$VICTIM")" = "$VICTIM" ]
	# a remount through such a symlink would change the peers' filesystem
	write_config <<-EOF
	{"mounts": [{"destination": "hostlog", "source": "$VICTIM", "options": ["rbind"]},
	            {"destination": "log", "options": ["remount", "ro"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 1 ]
	[[ $output == *"prep-mount: .mounts[1] (log): $R/log goes through a symlink, which is not followed here: name the mount point itself" ]]
	[ "$(mount_table; tree "$WS")" = "$before" ]
	touch "$VICTIM/x/writable"
}

@test "a rootfs that is a directory on a shared mount (systemd's /): a symlink on the way is fine" {
	mount --make-shared "$WS"
	mkdir -p "$R/run"
	ln -s /run "$R/var-run"
	write_config <<-'EOF'
	{"mounts": [{"destination": "var-run/x", "type": "tmpfs", "source": "t"}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	mounted_inside run/x
}

@test "the config itself may name a place inside a shared bind: the mount reaches the peers, as with mount(8)" {
	shared_victim
	write_config <<-EOF
	{"mounts": [{"destination": "hostlog", "source": "$VICTIM", "options": ["rbind"]},
	            {"destination": "hostlog/x", "type": "tmpfs", "source": "t", "options": ["size=1m"]}]}
	EOF
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 0 ]
	mounted_inside hostlog/x
	[ "$(mounts_below "$VICTIM")" = "$VICTIM
$VICTIM/x" ]
	[ ! -e "$VICTIM/x/file" ]
}

@test "a /proc magic link on the way is said to be one, also in a proc an earlier entry mounts" {
	write_config <<-EOF
	{"mounts": [{"destination": "proc", "type": "proc", "source": "proc"},
	            {"destination": "proc/self/root/etc/$NAME", "type": "tmpfs", "source": "t"}]}
	EOF
	before=$(mount_table; tree "$R")
	run_confined 1
	[[ $output == *"prep-mount: .mounts[1] (proc/self/root/etc/$NAME): mkdir -p $R/proc/self/root/etc/$NAME: a symlink loop, or a /proc magic link, which is not followed inside the rootfs: "* ]]
	eloop
	[ "$(mount_table; tree "$R")" = "$before" ]
}

@test "a bind source rootfs/... led by a symlink in the image onto a shared rbind is refused: nothing joins the peers" {
	shared_victim
	mkdir -p "$R/etc"
	ln -s /hostlog/x "$R/etc/cfgdir"
	# the bind would be a peer of VICTIM/x, and the tmpfs below it would appear there
	write_config <<-EOF
	{"mounts": [{"destination": "hostlog", "source": "$VICTIM", "options": ["rbind", "ro"]},
	            {"destination": "etc/app", "source": "rootfs/etc/cfgdir", "options": ["bind"]},
	            {"destination": "etc/app/cache", "type": "tmpfs", "source": "t", "options": ["size=1m"]}]}
	EOF
	before=$(mount_table; tree "$WS")
	run_prepbox prep-mount "$BUNDLE"
	[ "$status" -eq 2 ]
	[ "$output" = "prep-mount: .mounts[1] (etc/app): bind source: $R/etc/cfgdir goes through a symlink, which is not followed here: name the real path" ]
	[ "$(mount_table; tree "$WS")" = "$before" ]
	[ "$(mounts_below "$VICTIM")" = "$VICTIM" ]
}

@test "a bind source in the rootfs behind a symlink of the image is left to its entry when an earlier mount covers the place" {
	mkdir -p "$R/etc"
	ln -s / "$R/etc/cfgdir"
	# the tmpfs on etc hides the symlink: the source is looked for then, and is missing
	write_config <<-EOF
	{"mounts": [{"destination": "etc", "type": "tmpfs", "source": "t"},
	            {"destination": "app", "source": "rootfs/etc/cfgdir", "options": ["bind"]}]}
	EOF
	run_confined 1
	[[ $output == "prep-mount: .mounts[1] (app): bind source: "*"$R/etc/cfgdir: No such file or directory"* ]]
	[ -z "$(mounts_below "$R")" ] && [ -L "$R/etc/cfgdir" ]
}

@test "a bind source rootfs/... led by a symlink in the image cannot make a read-only rbind of the host writable" {
	mkdir -p "$OUT/log" "$R/var"
	echo hostsecret >"$OUT/log/syslog"
	ln -s /hostlog "$R/var/cache"
	write_config <<-EOF
	{"mounts": [{"destination": "hostlog", "source": "$OUT/log", "options": ["rbind", "ro"]},
	            {"destination": "cache", "source": "rootfs/var/cache", "options": ["bind", "rw"]}]}
	EOF
	run_confined 2
	[ "$output" = "prep-mount: .mounts[1] (cache): bind source: $R/var/cache goes through a symlink, which is not followed here: name the real path" ]
	[ -z "$(mounts_below "$R")" ]
	[ "$(cat "$OUT/log/syslog")" = hostsecret ]
}

@test "remount and propagation entries follow no symlink of the image, and never change the rootfs's own mount" {
	mkdir -p "$OUT/fs"
	mount -t tmpfs hostfs "$OUT/fs"
	mkdir "$OUT/fs/log"
	ln -s /hostlog "$R/data"
	# a remount without bind would make the host's filesystem read-only
	write_config <<-EOF
	{"mounts": [{"destination": "hostlog", "source": "$OUT/fs/log", "options": ["rbind", "ro"]},
	            {"destination": "data", "options": ["remount", "ro"]}]}
	EOF
	run_confined 1
	[ "$output" = "prep-mount: .mounts[1] (data): $R/data goes through a symlink, which is not followed here: name the mount point itself" ]
	touch "$OUT/fs/writable"
	# the rootfs a mount of its own, reached through a symlink to / or named as .
	mount --bind "$R" "$R"
	ln -s / "$R/root"
	for entry in '"remount", "ro"' '"remount", "bind", "ro"' '"rshared"'; do
		write_config <<-EOF
		{"mounts": [{"destination": "root", "options": [$entry]}]}
		EOF
		run_confined 1
		[ "$output" = "prep-mount: .mounts[0] (root): $R/root goes through a symlink, which is not followed here: name the mount point itself" ]
		for dest in . ..; do
			write_config <<-EOF
			{"mounts": [{"destination": "$dest", "options": [$entry]}]}
			EOF
			run_confined 1
			[ "$output" = "prep-mount: .mounts[0] ($dest): $R/$dest resolves to the rootfs itself: use the absolute path: Invalid argument" ]
		done
	done
	[ "$(mount_field "$R" 6)" = rw,relatime ]
	[ "$(mount_field "$R" 7)" = - ]
	touch "$R/writable" "$OUT/fs/writable"
	# the mount point itself, named by the config, is changed
	mkdir "$R/m"
	mount -t tmpfs m "$R/m"
	write_config <<-'EOF'
	{"mounts": [{"destination": "m", "options": ["remount", "ro"]},
	            {"destination": "./m/", "options": ["shared"]}]}
	EOF
	run_confined 0
	[ "$(mount_field "$R/m" 6)" = ro,relatime ]
	[[ $(mount_field "$R/m" 7) == shared:* ]]
}

# image_link NAME: the image's symlink NAME -> $OUT, as the host reads it; inside
# the rootfs the same symlink leads to $R$OUT, made here so that it resolves.
image_link() {
	ln -s "$OUT" "$R/$1"
	mkdir -p "$R$OUT"
}

@test "an absolute destination or mkdir entry below the rootfs is resolved inside it: an image symlink cannot lead it out" {
	image_link a
	write_config <<-EOF
	{"mounts": [{"destination": "$R/a/m", "type": "tmpfs", "source": "t"},
	            {"destination": "$R//a/./f", "source": "$WS/bundle/runtime.json", "options": ["bind"]}],
	 "mkdir": ["$R/a/made/deep", "$R/a/../b", "$R/.."]}
	EOF
	run_confined 0
	mounted_inside "${OUT#/}/m"
	mounted_inside "${OUT#/}/f"
	[ -d "$R$OUT/made/deep" ] && [ -d "$R/b" ]
	[ "$(ls -A "$OUT")" = target ]
	# a remount or propagation entry follows no symlink, as a relative one
	write_config <<-EOF
	{"mounts": [{"destination": "$R/a/m", "options": ["remount", "ro"]}]}
	EOF
	run_confined 1
	[ "$output" = "prep-mount: .mounts[0] ($R/a/m): $R/a/m goes through a symlink, which is not followed here: name the mount point itself" ]
	# named through a symlink to BUNDLE, or by the real path when BUNDLE is such a name
	ln -s "$BUNDLE" "$WS/blink"
	write_config <<-EOF
	{"mkdir": ["$WS/blink/rootfs/a/by-link", "$R/a/by-real"]}
	EOF
	run_prepbox prep-mount -n "$WS/blink"
	[ "$status" -eq 0 ]
	# the plan names where the run makes them: through the image's symlink a, inside
	[ "$output" = "mkdir -p $WS/blink/rootfs$OUT/by-link
mkdir -p $R$OUT/by-real" ]
	before=$(outside)
	run_prepbox prep-mount "$WS/blink"
	[ "$status" -eq 0 ]
	[ "$(outside)" = "$before" ]
	[ -d "$R$OUT/by-link" ] && [ -d "$R$OUT/by-real" ]
	[ "$(ls -A "$OUT")" = target ]
}

@test "-n and -v name the place the run acts on through an image symlink: the plan run by sh stays inside" {
	image_link a
	write_config <<-EOF
	{"mounts": [{"destination": "a/m", "type": "tmpfs", "source": "t"}], "mkdir": ["a/d"]}
	EOF
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir -p $R$OUT/m
mount -t tmpfs t $R$OUT/m
mkdir -p $R$OUT/d" ]
	# What the image's symlink a means on the host ($OUT) is never named.
	before=$(outside)
	echo "$output" | sh -e
	[ "$(outside)" = "$before" ]
	[ "$(mount_field "$R$OUT/m" 9)" = tmpfs ] && [ -d "$R$OUT/d" ]
	umount "$R$OUT/m"
	rmdir "$R$OUT/m" "$R$OUT/d"
	run --separate-stderr "$PREPBOX" prep-mount -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$stderr" = "prep-mount: mkdir $R$OUT/m
prep-mount: mount -t tmpfs t $R$OUT/m
prep-mount: mkdir $R$OUT/d" ]
	[ "$(outside)" = "$before" ]
}

@test "-n follows an image symlink that leads nowhere yet inside the rootfs, as the run will" {
	# a -> $OUT, which is not in the rootfs until the first mount makes it
	ln -s "$OUT" "$R/a"
	write_config <<-EOF
	{"mounts": [{"destination": "${OUT#/}", "type": "tmpfs", "source": "t"},
	            {"destination": "a/x/y", "type": "tmpfs", "source": "t"},
	            {"destination": "a/x", "type": "tmpfs", "source": "t"},
	            {"destination": "a/x/y", "type": "tmpfs", "source": "t"}],
	 "mkdir": ["a/m/../n"]}
	EOF
	run_prepbox prep-mount -n "$BUNDLE"
	[ "$status" -eq 0 ]
	# the mount on a/x hides a/x/y, planned again; ".." after a missing
	# directory taken lexically, then resolved again
	[ "$output" = "mkdir -p $R$OUT
mount -t tmpfs t $R$OUT
mkdir -p $R$OUT/x/y
mount -t tmpfs t $R$OUT/x/y
mount -t tmpfs t $R$OUT/x
mkdir -p $R$OUT/x/y
mount -t tmpfs t $R$OUT/x/y
mkdir -p $R$OUT/n" ]
	before=$(outside)
	echo "$output" | sh -e
	[ "$(outside)" = "$before" ]
	[ -d "$R$OUT/n" ]
}

@test "an absolute path into the rootfs and out again by .. is refused before anything is done" {
	image_link a
	for entry in '"mkdir": ["'"$R"'/a/../../x"]' \
		'"mounts": [{"destination": "'"$R"'/a/../../x", "type": "tmpfs", "source": "t"}]' \
		'"mounts": [{"destination": "m", "source": "'"$R"'/a/../../runtime.json", "type": "bind"}]'; do
		write_config <<<"{$entry}"
		run_confined 2
		[[ $output == *"$R/a/../../"*" goes into the rootfs and out again by \"..\", which a symlink of the image would lead elsewhere: write it without \"..\"" ]]
	done
	[ ! -e "$R/m" ]
}

@test "an absolute bind source below the rootfs follows no symlink of the image" {
	echo secret >"$OUT/secret"
	mkdir -p "$R/etc"
	echo image >"$R/etc/real.conf"
	ln -s "$OUT/secret" "$R/etc/app.conf"
	image_link a
	echo inside >"$R$OUT/secret"
	for source in "$R/etc/app.conf" "$R/a/secret"; do
		write_config <<-EOF
		{"mounts": [{"destination": "cfg", "source": "$source", "options": ["bind", "ro"]}]}
		EOF
		run_confined 2
		[ "$output" = "prep-mount: .mounts[0] (cfg): bind source: $source goes through a symlink, which is not followed here: name the real path" ]
		[ ! -e "$R/cfg" ]
	done
	write_config <<-EOF
	{"mounts": [{"destination": "cfg", "source": "$R/etc/../etc/real.conf", "options": ["bind", "ro"]}]}
	EOF
	run_prepbox prep-mount -v "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$output" = "prep-mount: touch $R/cfg
prep-mount: mount -o bind,ro $R/etc/../etc/real.conf $R/cfg
prep-mount: mount -o remount,bind,ro,relatime $R/cfg" ]
	[ "$(cat "$R/cfg")" = image ]
}

@test "overlay directories below the rootfs must be reached without a symlink: refused before anything is done" {
	mkdir -p "$OUT/layer" "$R/lower"
	echo secret >"$OUT/layer/secret"
	echo image >"$R/lower/f"
	image_link a
	mkdir -p "$R$OUT/layer"
	for opts in "lowerdir=$R/a/layer:$R/lower" "lowerdir=$R/lower,upperdir=$R/a/u,workdir=$R/ov/w" \
		"lowerdir=$R/lower,upperdir=$R/ov/u,workdir=$R/a/new/w"; do
		write_config <<-EOF
		{"mounts": [{"destination": "ok", "type": "tmpfs", "source": "t"},
		            {"destination": "ov", "type": "overlay", "source": "overlay", "options": ["$opts"]}]}
		EOF
		run_confined 2
		[[ $output == "prep-mount: .mounts[1] (ov): overlay "*"=$R/a/"*" goes through a symlink, which overlay would follow: name the real path" ]]
		[ -z "$(ls -A "$R$OUT/layer")" ] && [ ! -e "$R/ok" ] && [ ! -e "$R/ov" ]
	done
	# The path checked is the one overlay opens: lowerdir+= keeps its
	# backslashes, lowerdir= undoes them (a\\b there is the image's a\b).
	ln -s "$OUT/layer" "$R/a\\b"
	printf '{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay", "options": ["lowerdir+=%s/lower", "lowerdir+=%s/a\\\\b"]}]}\n' "$R" "$R" | write_config
	run_confined 2
	[ "$output" = "prep-mount: .mounts[0] (ov): overlay lowerdir+=$R/a\\b goes through a symlink, which overlay would follow: name the real path" ]
	printf '{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay", "options": ["lowerdir=%s/lower:%s/a\\\\\\\\b"]}]}\n' "$R" "$R" | write_config
	run_confined 2
	[ "$output" = "prep-mount: .mounts[0] (ov): overlay lowerdir=$R/a\\b goes through a symlink, which overlay would follow: name the real path" ]
	[ ! -e "$R/ov" ]
	# a trailing backslash stands for nothing, as overlay reads it
	printf '{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay", "options": ["lowerdir=%s/lower:%s/a\\\\"]}]}\n' "$R" "$R" | write_config
	run_confined 2
	[ "$output" = "prep-mount: .mounts[0] (ov): overlay lowerdir=$R/a goes through a symlink, which overlay would follow: name the real path" ]
	# ".." after a symlink of the image is taken by the kernel from where it leads
	mkdir -p "$OUT/deep/x" "$OUT/deep/l" "$R/l"
	echo secret >"$OUT/deep/l/secret"
	ln -s "$OUT/deep/x" "$R/dd"
	# (an upperdir missing in both places passes the check, and is found
	# when made, right before the mount: exit 1, rolled back)
	for opts in "2 lowerdir=$R/dd/../l:$R/lower" "1 lowerdir=$R/lower,upperdir=$R/dd/../u,workdir=$R/w"; do
		write_config <<-EOF
		{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay", "options": ["${opts#* }"]}]}
		EOF
		run_confined "${opts%% *}"
		[[ $output == *"prep-mount: .mounts[0] (ov): overlay "*"=$R/dd/../"*" is not what it names in the rootfs: overlay would follow a symlink of the image there (\"..\" after one, too): name the real path"* ]]
		[ ! -e "$R/ov" ] && [ ! -e "$R/u" ] && [ ! -e "$R/w" ] && [ ! -e "$OUT/deep/u" ]
	done
	rm -r "$OUT/deep" "$R/dd" "$R/l"
	# reached without one: upperdir and workdir made inside, and rolled back
	write_config <<-EOF
	{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay",
	             "options": ["lowerdir=$R/lower,upperdir=$R/ovl/u,workdir=$R/ovl/w"]},
	            {"destination": "x", "type": "nosuchfs"}]}
	EOF
	before=$(tree "$R")
	run_confined 1
	[ "$(tree "$R")" = "$before" ]
	write_config <<-EOF
	{"mounts": [{"destination": "ov", "type": "overlay", "source": "overlay",
	             "options": ["lowerdir=$R/lower,upperdir=$R/ovl/u,workdir=$R/ovl/w"]}]}
	EOF
	run_confined 0
	[ "$(cat "$R/ov/f")" = image ] && [ -d "$R/ovl/u" ] && [ -d "$R/ovl/w/work" ]
}

# image_app: the image's directory srv/app, whose conf is a symlink to
# /config.json, and BUNDLE/config.json, what it would reach from BUNDLE.
image_app() {
	mkdir -p "$R/srv/app"
	echo '{"secret": "the runtime'"'"'s config"}' >"$BUNDLE/config.json"
	ln -s /config.json "$R/srv/app/conf"
}

@test "a bind mount of a directory of the image that an earlier entry made in BUNDLE is the rootfs: a bind source through it is refused" {
	image_app
	write_config <<-EOF
	{"mounts": [{"destination": "$BUNDLE/appdata", "source": "rootfs/srv/app", "options": ["bind"]},
	            {"destination": "etc/app.conf", "source": "appdata/conf", "options": ["bind", "ro"]}]}
	EOF
	run_confined 1
	[[ $output == "prep-mount: .mounts[1] (etc/app.conf): bind source: appdata/conf leads into the rootfs, at $BUNDLE/appdata: name it rootfs/..."* ]]
	[ ! -e "$BUNDLE/appdata" ] && [ ! -e "$R/etc" ]
}

@test "a bind mount of a directory of the image that an admin made in BUNDLE is the rootfs: a bind source through it is refused" {
	image_app
	mkdir "$BUNDLE/appdata2"
	mount --bind "$R/srv/app" "$BUNDLE/appdata2"
	for source in appdata2/conf appdata2 rootfs/../appdata2/conf; do
		write_config <<-EOF
		{"mounts": [{"destination": "etc/app2.conf", "source": "$source", "options": ["bind", "ro"]}]}
		EOF
		run_confined 2
		[ "$output" = "prep-mount: .mounts[0] (etc/app2.conf): bind source: $source leads into the rootfs, at $BUNDLE/appdata2: name it rootfs/..." ]
	done
	[ ! -e "$R/etc" ]
}

@test "a symlink in the image cannot lead a mount onto a mount whose events reach outside through a slave that is itself shared" {
	ln -s /vol "$R/data"
	# vol2 a slave of vol and shared itself; $OUT/target a slave of vol2
	write_config <<-EOF
	{"mounts": [{"destination": "vol", "type": "tmpfs", "source": "v", "options": ["shared"]},
	            {"destination": "vol2", "source": "rootfs/vol", "options": ["bind", "slave", "shared"]},
	            {"destination": "$OUT/target", "source": "rootfs/vol2", "options": ["bind", "slave"]},
	            {"destination": "data/sub", "type": "tmpfs", "source": "t", "options": ["size=1m"]}]}
	EOF
	before=$(mount_table; tree "$WS")
	run_prepbox prep-mount "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == "prep-mount: .mounts[3] (data/sub): data/sub leads through a symlink in the image to $R/vol/sub, on a mount shared with $OUT/target (peer group "*"): a mount there would appear outside the rootfs, at $OUT/target/sub: "* ]]
	[ "$(mount_table; tree "$WS")" = "$before" ]
	[ -z "$(mounts_below "$OUT")" ]
}

@test "a mount on the rootfs itself, named absolutely: later paths, relative or absolute, resolve on it, and its rollback goes" {
	mkdir "$R/keep"
	write_config <<-EOF
	{"mounts": [{"destination": "$R", "source": "$R", "options": ["bind"]},
	            {"destination": "x", "type": "tmpfs", "source": "x"},
	            {"destination": "$R/y", "type": "tmpfs", "source": "y"}],
	 "mkdir": ["$R/z", "w"]}
	EOF
	run_confined 0
	rootid=$(mount_field "$R" 1)
	[ "$(mount_field "$R/x" 2)" = "$rootid" ] && [ "$(mount_field "$R/y" 2)" = "$rootid" ]
	umount "$R/x" "$R/y" "$R"
	rmdir "$R/x" "$R/y" "$R/z" "$R/w"
	# a tmpfs over it: what is made goes into the tmpfs; a failure takes it all back
	write_config <<-EOF
	{"mounts": [{"destination": "$R", "type": "tmpfs", "source": "r"},
	            {"destination": "x", "type": "tmpfs", "source": "x"},
	            {"destination": "$R/y", "type": "tmpfs", "source": "y"},
	            {"destination": "q", "type": "nosuchfs"}]}
	EOF
	before=$(mount_table; tree "$WS")
	run_prepbox prep-mount "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"prep-mount: .mounts[3] (q): mount -t nosuchfs none $R/q: No such device" ]]
	[ "$(mount_table; tree "$WS")" = "$before" ]
	[ -d "$R/keep" ]
}

@test "a BUNDLE written with .. after a symlink: only the directory it leads to is the rootfs" {
	# BUNDLE $WS/l/../b is $WS/x/b (l -> x/y); $WS/b/rootfs, what its words
	# read as, is another tree, whose image symlinks are not this run's business.
	mkdir -p "$WS/x/y" "$WS/x/b/rootfs" "$WS/b/rootfs"
	ln -s x/y "$WS/l"
	ln -s "$OUT" "$WS/b/rootfs/m"
	echo '{"mounts": [{"destination": "'"$WS"'/b/rootfs/m", "type": "tmpfs", "source": "t"},
	                  {"destination": "inside", "type": "tmpfs", "source": "t"}]}' >"$WS/c.json"
	run_prepbox prep-mount -v -c "$WS/c.json" "$WS/l/../b"
	[ "$status" -eq 0 ]
	# the absolute one as given (through the host's symlink, the config's choice),
	# the relative one in the real rootfs
	mounts_below "$OUT" | grep -qxF "$OUT"
	mounts_below "$WS/x/b/rootfs" | grep -qxF "$WS/x/b/rootfs/inside"
	[ -z "$(ls -A "$WS/x/b/rootfs/inside")" ]
	[ ! -e "$WS/x/b/rootfs/m" ]
}

@test "a mount above the rootfs is refused: it would hide the bundle (and the image could choose what BUNDLE/rootfs becomes)" {
	mkdir -p "$R/sub"
	ln -s "$OUT" "$R/sub/rootfs"
	# named so: before anything is done
	for dest in "$BUNDLE" "$BUNDLE/" "$WS" "$R/.."; do
		write_config <<-EOF
		{"mounts": [{"destination": "$dest", "source": "rootfs/sub", "options": ["bind"]},
		            {"destination": "x", "type": "tmpfs", "source": "t"}]}
		EOF
		run_confined 2
		[ "$output" = "prep-mount: .mounts[0] ($dest): $dest is above the rootfs $R: a mount there would hide the bundle" ]
		[ -z "$(mounts_below "$WS" | grep -vxF "$WS")" ]
	done
	# reached through a host symlink: when the entry runs, and earlier ones are undone
	ln -s "$BUNDLE" "$WS/lnk"
	write_config <<-EOF
	{"mounts": [{"destination": "x", "type": "tmpfs", "source": "t"},
	            {"destination": "$WS/lnk", "type": "tmpfs", "source": "t"}]}
	EOF
	run_confined 1
	[ "$output" = "prep-mount: .mounts[1] ($WS/lnk): $WS/lnk is above the rootfs $R: a mount there would hide the bundle" ]
	[ -z "$(mounts_below "$WS" | grep -vxF "$WS")" ]
	[ ! -e "$R/x" ] && [ -z "$(ls -A "$OUT/target")" ]
}

@test "a bind source walked from BUNDLE follows no symlink on another filesystem: an overlay of image directories there is the image's" {
	image_app
	mkdir -p "$R/empty"
	# made by an earlier entry: refused when the entry runs, the run rolled back
	write_config <<-EOF
	{"mounts": [{"destination": "$BUNDLE/ov", "type": "overlay", "source": "overlay",
	             "options": ["lowerdir=$R/srv/app:$R/empty"]},
	            {"destination": "etc/app.conf", "source": "ov/conf", "options": ["bind", "ro"]}]}
	EOF
	run_confined 1
	[[ $output == *"prep-mount: .mounts[1] (etc/app.conf): bind source: ov/conf goes through a symlink at $BUNDLE/ov/conf, on another filesystem than BUNDLE's, which is not followed: name the real path"* ]]
	[ ! -e "$BUNDLE/ov" ] && [ ! -e "$R/etc" ]
	# made by an admin: before anything is done
	mkdir "$BUNDLE/ov2"
	mount -t overlay overlay -o "lowerdir=$R/srv/app:$R/empty" "$BUNDLE/ov2"
	write_config <<-EOF
	{"mounts": [{"destination": "etc/app.conf", "source": "ov2/conf", "options": ["bind", "ro"]}]}
	EOF
	run_confined 2
	[ "$output" = "prep-mount: .mounts[0] (etc/app.conf): bind source: ov2/conf goes through a symlink at $BUNDLE/ov2/conf, on another filesystem than BUNDLE's, which is not followed: name the real path" ]
	[ ! -e "$R/etc" ]
	# an image layer mounted as a filesystem of its own (a snapshotter's), or
	# any volume: nothing about the mount tells them apart
	mkdir -p "$BUNDLE/layers/0"
	mount -t tmpfs layer0 "$BUNDLE/layers/0"
	mkdir "$BUNDLE/layers/0/etc"
	ln -s /runtime.json "$BUNDLE/layers/0/etc/app.conf"
	write_config <<-EOF
	{"mounts": [{"destination": "x", "source": "layers/0/etc/app.conf", "options": ["bind", "ro"]}]}
	EOF
	run_confined 2
	[ "$output" = "prep-mount: .mounts[0] (x): bind source: layers/0/etc/app.conf goes through a symlink at $BUNDLE/layers/0/etc/app.conf, on another filesystem than BUNDLE's, which is not followed: name the real path" ]
	[ ! -e "$R/x" ]
	# BUNDLE's own symlinks are still followed
	echo data >"$BUNDLE/data"
	ln -s data "$BUNDLE/datalink"
	write_config <<-EOF
	{"mounts": [{"destination": "etc/data", "source": "datalink", "options": ["bind", "ro"]}]}
	EOF
	run_confined 0
	[ "$(cat "$R/etc/data")" = data ]
}

@test "an absolute path is walked by the host's rules: a host symlink into the rootfs, or BUNDLE's own spelling with .., lands inside it" {
	image_link run
	ln -s "$R" "$WS/rootlink"
	# $WS/x/l/../bundle is BUNDLE (l -> ../y), though its words read $WS/x/bundle
	mkdir -p "$WS/x" "$WS/y"
	ln -s ../y "$WS/x/l"
	for dest in "$WS/rootlink/run/m" "$WS/x/l/../bundle/rootfs/run/m"; do
		echo '{"mounts": [{"destination": "'"$dest"'", "type": "tmpfs", "source": "t"}],
		       "mkdir": ["'"${dest%/m}"'/d"]}' >"$WS/c.json"
		before=$(outside)
		run_prepbox prep-mount -v -c "$WS/c.json" "$WS/x/l/../bundle"
		[ "$status" -eq 0 ]
		[ "$(outside)" = "$before" ]
		mounts_below "$R" | grep -qxF "$R$OUT/m"
		[ -d "$R$OUT/d" ] && [ -z "$(ls -A "$OUT/target")" ] && [ ! -e "$OUT/m" ]
		umount "$R$OUT/m"
		rmdir "$R$OUT/m" "$R$OUT/d"
	done
}

@test "a missing component then .. in an absolute path comes back where mkdir -p would: into the rootfs, not out of it" {
	image_link etc
	for dest in "$BUNDLE/nx/../rootfs/etc/m" "$BUNDLE/nx/ny/../../rootfs/etc/m"; do
		echo '{"mounts": [{"destination": "'"$dest"'", "type": "tmpfs", "source": "t"}],
		       "mkdir": ["'"${dest%/m}"'/d"]}' >"$BUNDLE/runtime.json"
		run_confined 0 -v
		mounts_below "$R" | grep -qxF "$R$OUT/m"
		[ -d "$R$OUT/d" ] && [ -z "$(ls -A "$OUT/target")" ] && [ ! -e "$OUT/m" ]
		umount "$R$OUT/m"
		rmdir "$R$OUT/m" "$R$OUT/d"
		rm -rf "$BUNDLE/nx"
	done
}

@test "a path the walk cannot follow is an error before anything is done, not a host path" {
	ln -s loop1 "$WS/loop2"
	ln -s loop2 "$WS/loop1"
	for dest in "$WS/loop1/x" "/etc/hostname/x"; do
		echo '{"mounts": [{"destination": "'"$dest"'", "type": "tmpfs", "source": "t"}]}' >"$BUNDLE/runtime.json"
		run_confined 2
		[[ $output == "prep-mount: .mounts[0] ($dest): $dest: "* ]]
	done
}
