/*
 * timeit - run one command once and say what it cost, for tests/bench/bench.sh.
 *
 *   timeit [-o FILE] COMMAND [ARG...]
 *
 * Prints one line on standard output, or appends it to FILE with -o (then
 * the command's own standard output is left to it):
 *
 *   WALL_US USER_US SYS_US MAXRSS_KIB STATUS
 *
 * WALL_US: from just before fork(2) to the return of wait4(2), CLOCK_MONOTONIC,
 * so it holds everything the command costs as a process (fork, exec, the
 * dynamic loader when there is one, exit); USER_US, SYS_US: its CPU time in
 * user and kernel mode (getrusage(2) through wait4(2): ru_utime, ru_stime);
 * MAXRSS_KIB: its peak resident set (ru_maxrss); STATUS: its exit status, or
 * 128 + the signal that ended it. Exits 0 when the command could be run and
 * waited for, whatever its status; 127 when it could not be run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long usec(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000 + tv->tv_usec;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	long long start, end;
	struct rusage ru;
	int status, code;
	FILE *f = stdout;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-o")) {
		out = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: timeit [-o FILE] COMMAND [ARG...]\n");
		return 2;
	}
	start = now_ns();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "timeit: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "timeit: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "timeit: wait4: %s\n", strerror(errno));
			return 127;
		}
	}
	end = now_ns();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (out && !(f = fopen(out, "a"))) {
		fprintf(stderr, "timeit: %s: %s\n", out, strerror(errno));
		return 127;
	}
	fprintf(f, "%lld %lld %lld %ld %d\n", (end - start) / 1000, usec(&ru.ru_utime),
		usec(&ru.ru_stime), ru.ru_maxrss, code);
	return fclose(f) == 0 ? 0 : 127;
}
