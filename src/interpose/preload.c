// SPDX-License-Identifier: MIT
/*
 * Setting up the emulated kernel when libuvfio-preload.so loads.
 *
 * The environment says what to emulate. UVFIO_DEVICES lists the devices,
 * specs separated by ';' ("edu" when unset), and each process of the run
 * creates the same devices in the same order, so they agree on every
 * address and vfioN. UVFIO_ROOT names the sysfs and /dev tree that
 * "uvfio run" wrote for them. A program started with LD_PRELOAD alone gets
 * a private tree instead, which the process that made it removes at exit.
 * A process that execs without exiting (a shell running its last command)
 * never runs its exit handlers, so the tree travels through the exec in
 * UVFIO_PRIVATE_ROOT="<pid>:<dir>" and the new image adopts it when the pid
 * is still its own; a forked child that execs makes a tree of its own.
 *
 * A setup failure is one line on stderr and _exit(2): the program has not
 * started, and running it without its devices would only fail later and
 * less clearly.
 */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uvfio/uvfio.h>

#include "real.h"

#define PRIVATE_ROOT_ENV	"UVFIO_PRIVATE_ROOT"

/* The private tree, and the one process that may remove it. */
static char private_root[PATH_MAX];
static pid_t private_root_owner;

static __attribute__((noreturn)) void preload_die(const char *what,
						  const char *arg,
						  const char *why)
{
	fprintf(stderr, "uvfio: %s \"%s\": %s\n", what, arg, why);
	_exit(2);
}

static const char *device_error(int err)
{
	switch (err) {
	case -ENODEV:
		return "unknown device model";
	case -EINVAL:
		return "malformed device spec";
	case -EEXIST:
		return "address already taken";
	default:
		return strerror(-err);
	}
}

static void preload_add_devices(void)
{
	const char *env = getenv("UVFIO_DEVICES") ?: "edu";
	char *specs, *spec, *save;
	int ret;

	specs = strdup(env);
	if (!specs)
		preload_die("UVFIO_DEVICES", env, strerror(ENOMEM));
	for (spec = strtok_r(specs, ";", &save); spec;
	     spec = strtok_r(NULL, ";", &save)) {
		ret = uvfio_device_add(spec);
		if (ret < 0)
			preload_die("UVFIO_DEVICES: device", spec,
				    device_error(ret));
	}
	free(specs);
}

/*
 * Removes @name in @dirfd and everything below it, without following a
 * symlink (the sysfs tree is full of them). Best effort: an exiting process
 * has nobody to report to. Linux answers unlink of a directory with EISDIR.
 */
static void remove_tree_at(int dirfd, const char *name)
{
	struct dirent *de;
	DIR *dir;
	int fd;

	if (!unlinkat(dirfd, name, 0) || errno != EISDIR)
		return;
	fd = REAL(openat)(dirfd, name,
			  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		REAL(close)(fd);
		return;
	}
	while ((de = REAL(readdir)(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			remove_tree_at(fd, de->d_name);
	closedir(dir);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void remove_private_root(void)
{
	int saved = errno;

	/* A fork child inherits the handler, not the tree. */
	if (getpid() == private_root_owner)
		remove_tree_at(AT_FDCWD, private_root);
	errno = saved;
}

/* Serves the tree at private_root and removes it when this process exits. */
static void private_root_own(void)
{
	char env[PATH_MAX + 16];
	int ret;

	private_root_owner = getpid();
	ret = uvfio_sysfs_set_root(private_root);
	if (!ret && atexit(remove_private_root))
		ret = -ENOMEM;
	snprintf(env, sizeof(env), "%d:%s", (int)private_root_owner,
		 private_root);
	if (!ret && setenv(PRIVATE_ROOT_ENV, env, 1))
		ret = -errno;
	if (ret) {
		remove_tree_at(AT_FDCWD, private_root);
		preload_die("cannot set up the emulated sysfs in",
			    private_root, strerror(-ret));
	}
}

/* The tree this pid made before it exec'd us, if it still exists. */
static bool private_root_adopt(void)
{
	const char *env = getenv(PRIVATE_ROOT_ENV);
	const char *dir;
	char *end;

	if (!env)
		return false;
	if (strtol(env, &end, 10) != getpid() || *end != ':')
		return false;
	dir = end + 1;
	if (strlen(dir) >= sizeof(private_root) ||
	    REAL(access)(dir, F_OK))
		return false;
	strcpy(private_root, dir);
	return true;
}

/* A tree of our own, under $TMPDIR or /tmp. */
static void private_root_make(void)
{
	const char *tmp = getenv("TMPDIR");
	int ret;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	ret = snprintf(private_root, sizeof(private_root), "%s/uvfio.XXXXXX",
		       tmp);
	if (ret < 0 || (size_t)ret >= sizeof(private_root))
		preload_die("TMPDIR", tmp, strerror(ENAMETOOLONG));
	if (!mkdtemp(private_root))
		preload_die("cannot create a directory in", tmp,
			    strerror(errno));
	ret = uvfio_sysfs_populate(private_root);
	if (ret) {
		remove_tree_at(AT_FDCWD, private_root);
		preload_die("cannot set up the emulated sysfs in",
			    private_root, strerror(-ret));
	}
}

static void preload_setup_root(void)
{
	const char *root = getenv("UVFIO_ROOT");
	int ret;

	if (!root || !*root) {
		if (!private_root_adopt())
			private_root_make();
		private_root_own();
		return;
	}
	ret = uvfio_sysfs_set_root(root);
	if (ret)
		preload_die("UVFIO_ROOT", root, strerror(-ret));
}

/*
 * Runs after real.c's constructor (101). The library brings itself up on
 * first use, so uvfio_device_add() needs nothing before this.
 */
__attribute__((constructor(102))) static void uvfio_preload_init(void)
{
	int saved = errno;

	preload_add_devices();
	preload_setup_root();
	errno = saved;
}
