// SPDX-License-Identifier: MIT
/*
 * Path redirection into the emulated sysfs and /dev trees.
 *
 * The trees are real files under a root directory (see pci_sysfs.c), so a
 * path-based call only needs its path rewritten to work on them. Only the
 * registered prefixes move: the rest of /sys stays the host's, because
 * clients also need the real CPU and memory topology.
 *
 * Prefixes are added at setup and never removed; a reader takes the count
 * with acquire and reads only published entries, so lookups take no lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vfs.h"
#include <uvfio/uvfio.h>

#define REDIRECT_MAX	256

static char *redirect_prefix[REDIRECT_MAX];	/* immutable once counted */
static unsigned int redirect_count;	/* release on add, acquire on read */
static struct mutex redirect_lock = MUTEX_INITIALIZER;	/* serializes adds */
static char *redirect_root;		/* release on set, acquire on read */

/* Moves @prefix (an absolute, normalized path) into the emulated trees. */
int uvfio_redirect_add(const char *prefix)
{
	unsigned int n;
	int ret = 0;
	char *copy;

	mutex_lock(&redirect_lock);
	n = redirect_count;
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(redirect_prefix[i], prefix))
			goto out_unlock;
	if (n == REDIRECT_MAX) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	copy = strdup(prefix);
	if (!copy) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	redirect_prefix[n] = copy;
	__atomic_store_n(&redirect_count, n + 1, __ATOMIC_RELEASE);
out_unlock:
	mutex_unlock(&redirect_lock);
	return ret;
}

__export int uvfio_sysfs_set_root(const char *root)
{
	char *copy = strdup(root);

	if (!copy)
		return -ENOMEM;
	/* Set once at setup; an older root is left allocated on purpose. */
	__atomic_store_n(&redirect_root, copy, __ATOMIC_RELEASE);
	return 0;
}

const char *uvfio_sysfs_root(void)
{
	return __atomic_load_n(&redirect_root, __ATOMIC_ACQUIRE);
}

static bool redirect_match(const char *norm)
{
	unsigned int n = __atomic_load_n(&redirect_count, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++) {
		size_t len = strlen(redirect_prefix[i]);

		if (!strncmp(norm, redirect_prefix[i], len) &&
		    (norm[len] == '\0' || norm[len] == '/'))
			return true;
	}
	return false;
}

__export int uvfio_path_redirect(const char *path, char *buf, size_t size)
{
	const char *root = uvfio_sysfs_root();
	char norm[4096];
	int len;

	/* The common case, any other file: no work beyond two compares. */
	if (!root || !path ||
	    (strncmp(path, "/sys/", 5) && strncmp(path, "/dev/", 5)))
		return 0;
	if (uvfio_path_normalize(path, norm, sizeof(norm)) ||
	    !redirect_match(norm))
		return 0;
	/*
	 * Match on the normalized path, but hand on the caller's spelling: a
	 * trailing slash must still demand a directory, and ".." after a
	 * symlink must resolve as the kernel resolves it, not lexically.
	 */
	len = snprintf(buf, size, "%s%s", root, path);
	if (len < 0 || (size_t)len >= size)
		return -ENAMETOOLONG;
	return 1;
}

/*
 * A host directory the emulation adds entries to (/sys/bus/pci/devices,
 * /sys/kernel/iommu_groups, /sys/devices/pci0000:00, /sys/module, ...):
 * if the tree has a directory at @path, write its location to @buf and
 * return 1, else 0. Paths already redirected never get here.
 */
__export int uvfio_path_overlay(const char *path, char *buf, size_t size)
{
	const char *root = uvfio_sysfs_root();
	char norm[4096];
	struct stat st;
	int len, saved = errno, ret;

	if (!root || !path ||
	    (strncmp(path, "/sys/", 5) && strncmp(path, "/dev/", 5) &&
	     strcmp(path, "/dev") && strcmp(path, "/sys")))
		return 0;
	if (uvfio_path_normalize(path, norm, sizeof(norm)))
		return 0;
	len = snprintf(buf, size, "%s%s", root, norm);
	if (len < 0 || (size_t)len >= size)
		return 0;
	ret = !stat(buf, &st) && S_ISDIR(st.st_mode);
	errno = saved;
	return ret;
}
