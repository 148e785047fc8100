#!/bin/sh
# What a static prepbox with prep-link owes its users under libmnl's
# LGPL-2.1 (section 6): the means to relink it against another libmnl.
# Copies prepbox's own objects and the musl cJSON archive into OUT/relink/
# with a relink.sh that links them, with musl-gcc -static, against any
# libmnl.a given to it.
#   relink-kit.sh OUT MUSL_PREFIX     (make static calls it: OUT is build/static)
set -eu

out=$1
prefix=$2
kit=$out/relink
rm -rf "$kit"
mkdir -p "$kit"
cp "$out"/applets/*.o "$out/libcommon.a" "$prefix/lib/libcjson.a" "$kit/"
cat >"$kit/relink.sh" <<'EOF'
#!/bin/sh
# Relinks prepbox from these objects against the libmnl.a given (LGPL-2.1
# section 6): relink.sh /path/to/libmnl.a [OUTPUT]     (default ./prepbox)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mnl=${1:?usage: relink.sh LIBMNL.a [OUTPUT]}
musl-gcc -static -Wl,--gc-sections -o "${2:-prepbox}" "$here"/*.o "$here/libcommon.a" \
	"$here/libcjson.a" "$mnl"
EOF
chmod +x "$kit/relink.sh"
echo "relink-kit: $kit (relink.sh LIBMNL.a) for libmnl's LGPL-2.1" >&2
