// SPDX-License-Identifier: MIT
/*
 * uvfio - run a program against emulated VFIO devices.
 *
 *   uvfio run [--device SPEC]... -- CMD [ARGS...]
 *
 * The tool creates the devices in its own emulated kernel first, so that a
 * bad spec fails here with one clear line rather than inside CMD. It writes
 * their sysfs and /dev tree to a temporary directory, then runs CMD with
 * libuvfio-preload.so, which rebuilds the same devices in every process of
 * the run (UVFIO_DEVICES) and serves the tree (UVFIO_ROOT). The directory
 * goes when CMD exits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uvfio/uvfio.h>

#ifndef UVFIO_VERSION
#define UVFIO_VERSION	"0.1.0"
#endif

#define PRELOAD_NAME	"libuvfio-preload.so"
#define EXIT_USAGE	2

static const char usage_text[] =
	"Usage: uvfio run [--device SPEC]... -- CMD [ARGS...]\n"
	"       uvfio help | --help\n"
	"       uvfio version\n"
	"\n"
	"Runs CMD with libuvfio-preload.so, which emulates the kernel's VFIO and\n"
	"iommufd for it: /dev/iommu, /dev/vfio/vfio, /dev/vfio/<group>,\n"
	"/dev/vfio/devices/vfioN and their sysfs.\n"
	"Without --device there is one \"edu\" device, at 0000:00:04.0.\n"
	"\n"
	"SPEC: MODEL[,bdf=DDDD:BB:DD.F][,group=N][,ARGS] for a built-in model\n"
	"(edu), or plugin=PATH.so[,bdf=...][,group=N][,ARGS] for a device model\n"
	"of your own (see include/uvfio/device.h). Without bdf a device takes the\n"
	"next free slot on bus 0; without group, an IOMMU group of its own.\n"
	"\n"
	"Exit status: CMD's, or 128+N when signal N killed it; 2 when uvfio\n"
	"cannot run it.\n"
	"\n"
	"Environment: UVFIO_PRELOAD overrides where the preload library is;\n"
	"TMPDIR, where the emulated sysfs goes; UVFIO_TRACE=1 traces every\n"
	"emulated call on stderr.\n";

static __attribute__((noreturn, format(printf, 1, 2)))
void die(const char *fmt, ...)
{
	va_list ap;

	fputs("uvfio: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

/* Adds @spec to this process's emulated kernel, or says what is wrong. */
static void device_check(const char *spec)
{
	int ret = uvfio_device_add(spec);

	if (ret >= 0)
		return;
	if (!uvfio_model_exists(spec))
		die("unknown device model in '%s'", spec);
	if (ret == -EINVAL)
		die("malformed device '%s' (expected MODEL[,bdf=DDDD:BB:DD.F])",
		    spec);
	if (ret == -EEXIST)
		die("device '%s': address already taken", spec);
	die("device '%s': %s", spec, strerror(-ret));
}

/* Whether @path is a file execve() may run; 0 or -errno. */
static int check_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	return access(path, X_OK) ? -errno : 0;
}

/* Whether execvp() will run @prog: by its path, or found in $PATH. */
static void program_check(const char *prog)
{
	const char *dirs = getenv("PATH") ?: "/bin:/usr/bin";
	char path[PATH_MAX];
	int ret;

	if (strchr(prog, '/')) {
		ret = check_executable(prog);
		if (ret)
			die("cannot execute '%s': %s", prog, strerror(-ret));
		return;
	}
	while (*dirs) {
		size_t len = strcspn(dirs, ":");
		int n;

		/* An empty entry means the current directory. */
		n = snprintf(path, sizeof(path), "%.*s%s%s", (int)len, dirs,
			     len ? "/" : "", prog);
		if (n > 0 && (size_t)n < sizeof(path) &&
		    !check_executable(path))
			return;
		dirs += len + (dirs[len] == ':');
	}
	die("cannot execute '%s': not found in PATH", prog);
}

/*
 * The preload library: $UVFIO_PRELOAD, else next to this executable (the
 * build tree), else in ../lib/uvfio (an install). Returns an absolute path,
 * which LD_PRELOAD needs once CMD changes directory.
 */
static char *locate_preload(void)
{
	const char *env = getenv("UVFIO_PRELOAD");
	static const char *const rel[] = { "", "/../lib/uvfio" };
	char exe[PATH_MAX], path[PATH_MAX + 64], *dir, *found;
	ssize_t len;

	if (env && *env) {
		found = realpath(env, NULL);
		if (!found)
			die("UVFIO_PRELOAD=%s: %s", env, strerror(errno));
		return found;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		die("cannot read /proc/self/exe: %s", strerror(errno));
	exe[len] = '\0';
	dir = dirname(exe);
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s%s/" PRELOAD_NAME, dir,
			 rel[i]);
		found = realpath(path, NULL);
		if (found)
			return found;
	}
	die("cannot find " PRELOAD_NAME " in %s or %s/../lib/uvfio "
	    "(set UVFIO_PRELOAD)", dir, dir);
}

/* find_preload - locate_preload(), checked for use in LD_PRELOAD. */
static char *find_preload(void)
{
	char *preload = locate_preload();

	/* ld.so splits LD_PRELOAD at both. */
	if (strpbrk(preload, ": "))
		die("the preload path '%s' contains ':' or ' '", preload);
	return preload;
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * The environment of CMD: LD_PRELOAD gets @preload first, followed by what
 * the caller had. Returns 0 or -errno.
 */
static int export_env(const char *root, const char *devices,
		      const char *preload)
{
	const char *old = getenv("LD_PRELOAD");
	char *val;
	int ret = 0;

	if (asprintf(&val, "%s%s%s", preload, old && *old ? ":" : "",
		     old ? old : "") < 0)
		return -ENOMEM;
	if (setenv("UVFIO_ROOT", root, 1) ||
	    setenv("UVFIO_DEVICES", devices, 1) ||
	    setenv("LD_PRELOAD", val, 1))
		ret = -errno;
	free(val);
	return ret;
}

static pid_t child;

/* A terminal's SIGINT and SIGQUIT reach CMD directly; these may not. */
static void forward_signal(int sig)
{
	int saved = errno;

	kill(child, sig);
	errno = saved;
}

/*
 * Runs @argv and returns its exit status, 128+N for signal N. The tool
 * outlives a Ctrl-C or a SIGTERM so that it can remove the directory.
 */
static int run_child(char **argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction fwd = { .sa_handler = forward_signal };
	struct sigaction old_int, old_quit;
	int status;

	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "uvfio: cannot execute %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Collects the --device specs into @specs and returns the index of CMD in
 * @argv, which follows "--".
 */
static int parse_run_options(int argc, char **argv, const char **specs,
			     size_t *n_specs)
{
	int i;

	for (i = 0; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--device")) {
			if (i + 1 == argc || !strcmp(argv[i + 1], "--"))
				die("--device needs MODEL[,bdf=DDDD:BB:DD.F]");
			specs[(*n_specs)++] = argv[++i];
		} else if (!strncmp(argv[i], "--device=", 9)) {
			specs[(*n_specs)++] = argv[i] + 9;
		} else if (argv[i][0] == '-') {
			die("unknown option '%s'", argv[i]);
		} else {
			die("missing '--' before the program '%s'", argv[i]);
		}
	}
	if (i == argc)
		die("missing '--' and the program to run");
	if (i + 1 == argc || !argv[i + 1][0])
		die("missing the program to run after '--'");
	return i + 1;
}

/* UVFIO_DEVICES: the specs joined with ';'. */
static char *join_specs(const char **specs, size_t n_specs)
{
	size_t len = 1, pos = 0;
	char *devices;

	for (size_t s = 0; s < n_specs; s++)
		len += strlen(specs[s]) + 1;
	devices = malloc(len);
	if (!devices)
		die("out of memory");
	devices[0] = '\0';
	for (size_t s = 0; s < n_specs; s++) {
		if (s)
			devices[pos++] = ';';
		pos = (size_t)(stpcpy(devices + pos, specs[s]) - devices);
	}
	return devices;
}

static int cmd_run(int argc, char **argv)
{
	const char **specs = calloc((size_t)argc + 1, sizeof(*specs));
	const char *tmp = getenv("TMPDIR");
	char root[PATH_MAX], *devices, *preload;
	size_t n_specs = 0;
	int ret;

	if (!specs)
		die("out of memory");
	argv += parse_run_options(argc, argv, specs, &n_specs);
	if (!n_specs)
		specs[n_specs++] = "edu";
	for (size_t s = 0; s < n_specs; s++)
		device_check(specs[s]);
	program_check(argv[0]);
	preload = find_preload();
	devices = join_specs(specs, n_specs);

	snprintf(root, sizeof(root), "%s/uvfio.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		die("cannot create %s: %s", root, strerror(errno));
	ret = uvfio_sysfs_populate(root);
	if (ret) {
		remove_tree(root);
		die("cannot write the emulated sysfs to %s: %s", root,
		    strerror(-ret));
	}
	ret = export_env(root, devices, preload);
	if (!ret)
		ret = run_child(argv);
	remove_tree(root);
	if (ret < 0)
		die("cannot run %s: %s", argv[0], strerror(-ret));
	free(devices);
	free(preload);
	free(specs);
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd && !strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (cmd && (!strcmp(cmd, "help") || !strcmp(cmd, "--help") ||
		    !strcmp(cmd, "-h"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (cmd && (!strcmp(cmd, "version") || !strcmp(cmd, "--version"))) {
		puts("uvfio " UVFIO_VERSION);
		return 0;
	}
	if (!cmd)
		die("missing command; try 'uvfio help'");
	die("unknown command '%s'; try 'uvfio help'", cmd);
}
