#!/bin/bash
# make demo: prepares a container end to end, as LinuxKit's service launcher
# does, in a throwaway namespace: prep-all mounts, makes directories and a
# cgroup, runs `runc create`, then creates the container's interfaces and
# binds its network namespace; the container shows what it sees; runc delete
# and prep-cleanup take it all down; then a run whose last interface cannot
# be created shows the rollback. Nothing reaches the host: the demo runs in
# its own mount, network and pid namespaces, and its cgroups are made below
# a scratch cgroup of its own.
#   scripts/demo.sh [PREPBOX]       (default build/prepbox; as root)
set -euo pipefail

if [ "${1:-}" != --inside ]; then
	[ "$(id -u)" = 0 ] || { echo "demo: run it as root (it mounts and makes interfaces)" >&2; exit 1; }
	prepbox=$(readlink -f "${1:-build/prepbox}")
	exec unshare --mount --net --pid --fork --mount-proc --propagation private -- \
		"$0" --inside "$prepbox"
fi
prepbox=$2
src=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() {
	printf '$'
	printf ' %q' "$@"
	printf '\n'
	"$@"
}

# The throwaway world: a tmpfs workspace, sysfs for this network
# namespace, a scratch cgroup2 subtree standing in for /sys/fs/cgroup.
ws=/tmp/prepbox-demo
mkdir -p "$ws"
mount -t tmpfs demo "$ws"
mount -t sysfs sysfs /sys
mkdir "$ws/cg2"
mount -t cgroup2 none "$ws/cg2"
# Its own name: $$ is 1 in every pid namespace, and demos may run side by side.
scratch=$(mktemp -d "$ws/cg2/prepbox-demo.XXXXXX")
mount --bind "$scratch" /sys/fs/cgroup
cleanup() {
	runc --root "$ws/runc" delete -f ctr >/dev/null 2>&1 || true
	umount /sys/fs/cgroup 2>/dev/null || true
	find "$scratch" -depth -type d -exec rmdir {} + 2>/dev/null || true
}
trap cleanup EXIT
ln -s "$prepbox" "$ws/prep-all"
ln -s "$prepbox" "$ws/prep-cleanup"
PATH=$ws:$PATH

bundle=$ws/bundle
"$src/scripts/make-bundle.sh" "$bundle" sleep 3600
mkdir -p "$ws/hostdata" "$ws/runc"
echo "hello from the host" >"$ws/hostdata/motd"
cat >"$bundle/runtime.json" <<EOF
{
  "mounts": [
    {"destination": "run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "size=1m"]},
    {"destination": "data", "type": "bind", "source": "$ws/hostdata", "options": ["rbind", "ro"]}
  ],
  "mkdir": ["run/svc"],
  "cgroups": ["demo"],
  "interfaces": [
    {"name": "eth0", "add": "veth", "peer": "veth-demo"},
    {"name": "br0", "add": "bridge"}
  ],
  "bindNS": {"net": "$ws/netns/demo"}
}
EOF
ip link add eth0 type veth peer name eth0-peer # the host has an eth0 too

say "the bundle's runtime.json"
cat "$bundle/runtime.json"

say "prep-all: mounts, mkdir, cgroup; runc create; interfaces and bindNS"
show prep-all -v --pid-file "$ws/pid" "$bundle" -- \
	runc --root "$ws/runc" create --bundle "$bundle" --pid-file "$ws/pid" ctr
runc --root "$ws/runc" start ctr

say "what the container sees"
show runc --root "$ws/runc" exec ctr ip -o link
show runc --root "$ws/runc" exec ctr sh -c 'grep -E " /(run|data) " /proc/self/mountinfo'
show runc --root "$ws/runc" exec ctr sh -c 'cat /data/motd; echo x >/data/new || true'
show runc --root "$ws/runc" exec ctr sh -c 'ls -d /run/svc'

say "what the host sees"
show ip -o link show veth-demo
show ls -d /sys/fs/cgroup/demo
printf '$ the bound netns is the container'"'"'s: '
[ "$(stat -L -c %i "$ws/netns/demo")" = "$(stat -L -c %i "/proc/$(cat "$ws/pid")/ns/net")" ] &&
	echo yes || echo NO

say "runc delete, then prep-cleanup"
runc --root "$ws/runc" kill ctr KILL 2>/dev/null || true
runc --root "$ws/runc" delete -f ctr
show prep-cleanup -v "$bundle"
printf '$ mounts left below the rootfs: '
awk -v d="$bundle/rootfs" 'index($5, d) == 1' /proc/self/mountinfo | wc -l
# The namespace bind and the cgroup outlive the container by design; the
# service's owner removes them when it is gone for good.
umount "$ws/netns/demo"
rmdir /sys/fs/cgroup/demo
# The kernel frees the container's network namespace, and with it the veth
# pair, after the last reference goes, in the background: until then the
# host end's name is taken, and the next run would rightly be refused.
for _ in $(seq 50); do
	ip link show veth-demo >/dev/null 2>&1 || break
	sleep 0.1
done
ip link show veth-demo >/dev/null 2>&1 &&
	echo "(the kernel has not freed the container's veth-demo yet: the next run is refused up front)"

say "a run whose last interface cannot be created is undone"
sed -i 's|{"name": "br0", "add": "bridge"}|{"name": "br0", "add": "bridge"}, {"name": "x0", "add": "no-such-kind"}|' \
	"$bundle/runtime.json"
before=$(awk '{ $1 = $2 = ""; print }' /proc/self/mountinfo)
show prep-all -v --pid-file "$ws/pid" "$bundle" -- \
	runc --root "$ws/runc" create --bundle "$bundle" --pid-file "$ws/pid" ctr || echo "(exit status $?)"
printf '$ mount table as before: '
[ "$(awk '{ $1 = $2 = ""; print }' /proc/self/mountinfo)" = "$before" ] && echo yes || echo NO
printf '$ veth-demo, the cgroup, rootfs/run/svc: '
ip link show veth-demo >/dev/null 2>&1 && printf 'still there, ' || printf 'gone, '
[ -e /sys/fs/cgroup/demo ] && printf 'still there, ' || printf 'gone, '
[ -e "$bundle/rootfs/run/svc" ] && echo "still there" || echo "gone"
