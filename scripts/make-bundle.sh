#!/bin/sh
# Makes a small OCI bundle for the demo and the end-to-end tests: a rootfs
# holding Debian's static busybox (package busybox-static) and its applets,
# and a runc config.json (runc spec) whose process is COMMAND (default:
# sleep 3600), without a terminal.
#   make-bundle.sh DIR [COMMAND [ARG...]]
set -eu

dir=$1
shift
[ $# -gt 0 ] || set -- sleep 3600
busybox=$(command -v busybox) || {
	echo "make-bundle: busybox is missing (scripts/install-deps.sh e2e)" >&2
	exit 1
}
if readelf -d "$busybox" 2>/dev/null | grep -q NEEDED; then
	echo "make-bundle: $busybox is not static (install busybox-static)" >&2
	exit 1
fi

mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys"
cp "$busybox" "$dir/rootfs/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$dir/rootfs/bin/$a"
done

rm -f "$dir/config.json"
(cd "$dir" && runc spec)
# The process, as JSON strings, and no terminal: the container runs detached.
args=
for a in "$@"; do
	a=$(printf '%s' "$a" | sed 's/\\/\\\\/g; s/"/\\"/g')
	args="$args${args:+, }\"$a\""
done
sed -i -e "/\"args\": \[/,/\]/c\\
\t\t\"args\": [$args]," -e 's/"terminal": true/"terminal": false/' "$dir/config.json"
