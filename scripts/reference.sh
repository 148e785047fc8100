#!/bin/sh
# Builds the reference implementation (LinuxKit's prepare.go, the seed of
# this project) as OUT, for tests/integration/reference.bats, which compares
# the mount tables prep-mount and the reference leave. The reference lives
# beside the repository, in the project's shared documents
# (../shared/reference/build.sh, which installs Debian's Go packages); where
# it is not there, nothing is built and those tests skip with the reason.
#   reference.sh OUT
set -eu

out=$1
here=$(cd "$(dirname "$0")/.." && pwd)
ref=${PREPBOX_REFERENCE:-$here/../shared/reference}
[ -x "$out" ] && exit 0
if [ ! -x "$ref/build.sh" ]; then
	echo "reference: no $ref/build.sh here; the reference tests will skip" >&2
	exit 0
fi
mkdir -p "$(dirname "$out")"
"$ref/build.sh" "$(cd "$(dirname "$out")" && pwd)/$(basename "$out")" >&2 || {
	echo "reference: building the reference failed; the reference tests will skip" >&2
	exit 0
}
