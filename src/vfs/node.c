// SPDX-License-Identifier: MIT
/*
 * The registry of emulated character device nodes, and opening one: the part
 * of the kernel's chrdev_open() path that uvfio needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "vfs.h"

static struct mutex node_lock = MUTEX_INITIALIZER;	/* protects node_list */
static struct list_head node_list = LIST_HEAD_INIT(node_list);

/*
 * Lexical normalization of an absolute path: repeated slashes, "." and ".."
 * components and a trailing slash go. Returns 0, or -EINVAL for a relative
 * path and -ENAMETOOLONG when @buf is too small.
 */
int uvfio_path_normalize(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	const char *p = path;

	if (!path || path[0] != '/')
		return -EINVAL;
	while (*p) {
		const char *start;
		size_t n;

		while (*p == '/')
			p++;
		start = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - start);
		if (!n || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			while (len && buf[len - 1] != '/')
				len--;
			if (len)
				len--;
			continue;
		}
		if (len + 1 + n + 1 > size)
			return -ENAMETOOLONG;
		buf[len++] = '/';
		memcpy(buf + len, start, n);
		len += n;
	}
	if (!len) {
		if (size < 2)
			return -ENAMETOOLONG;
		buf[len++] = '/';
	}
	buf[len] = '\0';
	return 0;
}

/* Returns 0, or -EEXIST when the path is taken. */
int uvfio_node_register(struct uvfio_node *node)
{
	struct uvfio_node *n;
	int ret = 0;

	mutex_lock(&node_lock);
	list_for_each_entry(n, &node_list, list) {
		if (!strcmp(n->path, node->path)) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	list_add_tail(&node->list, &node_list);
out_unlock:
	mutex_unlock(&node_lock);
	return ret;
}

/* Finds the node at @path (any absolute spelling), or NULL. */
struct uvfio_node *uvfio_node_lookup(const char *path)
{
	struct uvfio_node *n, *found = NULL;
	char norm[sizeof(n->path)];

	if (!path || strncmp(path, "/dev", 4) ||
	    uvfio_path_normalize(path, norm, sizeof(norm)))
		return NULL;
	mutex_lock(&node_lock);
	list_for_each_entry(n, &node_list, list) {
		if (!strcmp(n->path, norm)) {
			found = n;
			break;
		}
	}
	mutex_unlock(&node_lock);
	return found;
}

/*
 * open() of a node: reserve the fd, let the node fill the file, publish it.
 * Returns the fd or -errno, with nothing left behind on failure.
 */
int uvfio_node_open(struct uvfio_node *node, int o_flags)
{
	struct uvfio_file *file;
	int fd, ret;

	fd = get_unused_fd_flags(node->path, (unsigned int)o_flags);
	if (fd < 0)
		return fd;
	file = uvfio_file_alloc(NULL, (unsigned int)o_flags, NULL);
	if (!file) {
		ret = -ENOMEM;
		goto err_put_fd;
	}
	file->f_node = node;
	ret = node->open(node, file);
	if (ret)
		goto err_free_file;
	fd_install(fd, file);
	return fd;

err_free_file:
	file->f_op = NULL;	/* the open failed: there is nothing to release */
	uvfio_file_put(file);
err_put_fd:
	put_unused_fd(fd);
	return ret;
}
