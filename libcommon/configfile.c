/*
 * configfile.c - config_load() (config.h): which runtime.json a run reads
 * (-c FILE, "-" for standard input, or BUNDLE/runtime.json, whose absence is
 * an empty config as in LinuxKit), read whole with read(2) up to
 * CONFIG_MAX_SIZE bytes (DESIGN.md section 3), then config_parse().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/*
 * Read @fd into *@buf (*@len bytes), in a buffer that grows as the file does
 * (most configs are a few hundred bytes: no megabyte to map and unmap). One
 * byte more than CONFIG_MAX_SIZE is read to tell a file at the limit from a
 * larger one, pipes included.
 */
static int read_all(int fd, const char *shown, char **buf, size_t *len, struct err *e)
{
	size_t n = 0, size = 4096;
	char *p = NULL, *q;
	ssize_t got;

	for (;;) {
		if (n == size || !p) {
			if (p)
				size = size * 2 > CONFIG_MAX_SIZE + 1 ? CONFIG_MAX_SIZE + 1 : size * 2;
			q = realloc(p, size); /* realloc(NULL, size) first */
			if (!q) {
				free(p);
				return err_set(e, ENOMEM, "read %s", shown);
			}
			p = q;
		}
		got = read(fd, p + n, size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(p);
			return err_set(e, errno, "read %s", shown);
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > CONFIG_MAX_SIZE)
			break;
	}
	if (n > CONFIG_MAX_SIZE) {
		free(p);
		return err_set(e, EFBIG, "read %s (more than %d bytes)", shown, CONFIG_MAX_SIZE);
	}
	*buf = p;
	*len = n;
	return 0;
}

int config_load(struct config *c, const char *file, const char *bundle, struct err *e)
{
	char path[CONFIG_PATH_MAX + sizeof("/runtime.json")];
	const char *name = "runtime.json";
	bool std_in = file && !strcmp(file, "-");
	char *buf = NULL;
	struct stat st;
	size_t len = 0;
	int fd, rc;

	memset(c, 0, sizeof(*c));
	if (!file && !bundle)
		return 0;
	if (file && !std_in) {
		name = file;
		fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return err_set(e, errno, "open %s", file);
	} else if (std_in) {
		name = "<stdin>";
		fd = STDIN_FILENO;
	} else {
		if ((size_t)snprintf(path, sizeof(path), "%s/runtime.json", bundle) >= sizeof(path))
			return err_set(e, ENAMETOOLONG, "open %s/runtime.json", bundle);
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		/*
		 * LinuxKit: no runtime.json, nothing to do. A symlink that leads
		 * nowhere is something, though: most likely a mistake, never an
		 * empty config.
		 */
		if (fd < 0 && errno == ENOENT && lstat(path, &st) < 0)
			return 0;
		if (fd < 0 && errno == ENOENT)
			return err_set(e, ENOENT, "open %s (a symlink to nothing)", path);
		if (fd < 0)
			return err_set(e, errno, "open %s", path);
	}
	rc = read_all(fd, std_in ? name : file ? file : path, &buf, &len, e);
	if (!std_in)
		close(fd);
	if (rc < 0)
		return -1;
	rc = config_parse(c, name, buf, len, e);
	free(buf);
	return rc;
}
