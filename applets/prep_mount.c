/*
 * prep-mount - the mounts and directories of runtime.json (DESIGN.md
 * section 4, "mounts" and "mkdir"; mount(2), mount(8), openat2(2)).
 */
#include "applet.h"
#include "cli.h"
#include "step.h"

static const char usage[] =
	"Usage: prep-mount [OPTIONS] BUNDLE\n"
	"\n"
	"Makes the mounts of the \"mounts\" list of BUNDLE/runtime.json, in order, then\n"
	"the directories of its \"mkdir\" list (mkdir -p, mode 0755).\n"
	"\n"
	"A relative destination or directory is inside BUNDLE/rootfs: it is resolved\n"
	"there (openat2 RESOLVE_IN_ROOT), so neither \"..\" nor a symlink in the image\n"
	"leads out of it (an absolute symlink counts from the rootfs), and the mount is\n"
	"made on what was resolved. A destination that resolves to the rootfs itself\n"
	"must be given as an absolute path; one above it (BUNDLE, or a parent of it) is\n"
	"refused: the mount would hide the bundle. One that a symlink in the image leads\n"
	"onto a mount whose mount events reach a mount outside the rootfs is refused:\n"
	"the new mount would appear there too. The destination of a remount or of a\n"
	"propagation change is taken as written: no symlink is followed (name the mount\n"
	"point itself), and it must be a mount point other than the rootfs's own. An\n"
	"absolute path that leads below BUNDLE/rootfs (walked by the host's rules up to\n"
	"the rootfs directory, then read as words) is resolved there as a relative one\n"
	"is, a bind source without following any symlink; one that goes below it and out\n"
	"again by \"..\" is refused; an overlay's lowerdir=, upperdir= and workdir=\n"
	"there must be reached without a symlink. Other absolute paths are used as\n"
	"given.\n"
	"\n"
	"For each mount: the destination and its parents are made (for a bind mount\n"
	"of something other than a directory, an empty file; an existing one is never\n"
	"truncated; a destination ending in / is a directory, and a bind of anything\n"
	"else there is refused), and for overlay its upperdir= and workdir= (absolute;\n"
	"overlay's \\, \\: \\\\ escapes undone); then mount(2). A bind mount (option\n"
	"bind or rbind, or type bind) is then remounted with its per-mount options (ro,\n"
	"nosuid, nodev, noexec, noatime, nodiratime, relatime, strictatime,\n"
	"nosymfollow), keeping the flags the new mount already has unless an option\n"
	"turns them off (rw, suid, dev, exec...). Each propagation option (shared,\n"
	"slave, private, unbindable, and rshared, rslave, rprivate, runbindable) is\n"
	"one more call, in order; rro makes a recursive bind read-only all the way\n"
	"down (mount_setattr(2), Linux 5.12; an error on older kernels). The last of\n"
	"two options that cancel each other wins; defaults sets nothing; fstab-only\n"
	"options (auto, noauto, user, users, nouser, owner, group, _netdev, nofail,\n"
	"x-*) are dropped; any other option goes to the filesystem as data, in order\n"
	"(on a bind mount, which passes no data on, it is a config error).\n"
	"\n"
	"A relative bind source is relative to BUNDLE (the OCI runtime spec's rule),\n"
	"with \"..\" taken as a word. rootfs/PATH is resolved inside the rootfs without\n"
	"following any symlink (with one on the way it is refused: name the real path),\n"
	"so the image cannot point it at a mount an earlier entry made. Any other is\n"
	"walked from BUNDLE one component at a time, BUNDLE's own symlinks followed (an\n"
	"absolute one counts from BUNDLE; one in a directory of another filesystem than\n"
	"BUNDLE's is refused), and refused as soon as it enters the rootfs, also through\n"
	"a bind mount of a directory of the image (name it rootfs/...). -n and -v show\n"
	"it where it was resolved. Other sources (tmpfs, overlay, a device) are passed\n"
	"as given.\n"
	"\n"
	"Before anything is done (exit 2): BUNDLE/rootfs must open when a path is\n"
	"relative, and each bind source must exist, except one that an earlier entry\n"
	"may make (its destination at, above or below the source, both in the rootfs\n"
	"or both on the host; a relative one taken as BUNDLE/SOURCE; not a remount or\n"
	"a propagation change), or one in the rootfs that an image symlink keeps from\n"
	"being reached now where an earlier entry may cover it. Those are looked for\n"
	"when their entry runs.\n"
	"\n"
	"With remount, the mount already at the destination is changed (nothing is\n"
	"made); the flags it has, its filesystem's sync, dirsync, lazytime, mand and\n"
	"iversion included, are kept unless an option turns them off. An entry\n"
	"with no type whose only options are propagation options changes the\n"
	"propagation of the mount at the destination (mount --make-*), as LinuxKit\n"
	"does.\n"
	"\n"
	"On failure, what this run did is undone, newest first: mounts unmounted\n"
	"(each made private first, with what is below it: the sub-mounts an rbind of\n"
	"a shared mount copied are peers of the source's, which an unmount would\n"
	"take along), directories and files it made removed (with what overlay made\n"
	"in a workdir: work/, index/), a remounted mount given back its flags and\n"
	"read-only state.\n"
	"The filesystem options (data) of a remount and a propagation change of an\n"
	"existing mount cannot be taken back and are not.\n"
	"\n"
	"Options:\n" OPTS_COMMON_HELP;

static const struct option longopts[] = {
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 },
};

static const struct cli_spec spec = {
	.usage = usage,
	.longopts = longopts,
	.shortopts = OPTS_COMMON_SHORT,
	.want = OPTS_BUNDLE,
	.keys = CONFIG_MOUNTS | CONFIG_MKDIR,
};

int prep_mount_main(int argc, char **argv)
{
	return cli_main(&spec, &step_mount, argc, argv);
}
