/* SPDX-License-Identifier: MIT */
/*
 * The dispatch layer: uvfio's small stand-in for the kernel's VFS.
 *
 * An emulated open file is a struct uvfio_file, shaped like the kernel's
 * struct file: a reference count, file operations, open flags and a
 * private_data pointer. Emulated character devices (/dev/iommu,
 * /dev/vfio/devices/vfioN, ...) are struct uvfio_node entries in a registry
 * keyed by path. The fd table maps real kernel fd numbers (each emulated file
 * holds a placeholder memfd, so numbers are unique and survive fork) to files.
 *
 * Every ioctl, read, write and mmap on an emulated file goes through
 * vfs_ioctl(), vfs_read(), vfs_write() and vfs_mmap(): the one place that can
 * be traced. The interposer calls these; so can a C program or a fuzzer
 * directly, without LD_PRELOAD. They return a value or -errno, never touch
 * errno, and take no global lock.
 */
#ifndef UVFIO_VFS_VFS_H
#define UVFIO_VFS_VFS_H

#include <sys/types.h>
#include "../util/compiler.h"
#include "../util/list.h"
#include "../util/mutex.h"
#include "../util/refcount.h"

struct uvfio_file;
struct uvfio_node;

/* The kernel's FMODE_READ / FMODE_WRITE, derived from the open flags. */
#define FMODE_READ	0x1u
#define FMODE_WRITE	0x2u

/* An mmap request as a file's mmap op sees it (the kernel's vm_area_struct). */
struct uvfio_vma {
	void *addr;		/* in: the caller's hint; out: where it landed */
	size_t len;		/* bytes, not rounded */
	int prot;		/* PROT_* */
	int flags;		/* MAP_* */
	u64 offset;		/* byte offset into the file, page aligned */
};

struct uvfio_file_operations {
	const char *name;	/* the file kind, for traces: "vfio-dev" */
	long (*unlocked_ioctl)(struct uvfio_file *file, unsigned int cmd,
			       unsigned long arg);
	ssize_t (*read)(struct uvfio_file *file, char __user *buf,
			size_t count, s64 *ppos);
	ssize_t (*write)(struct uvfio_file *file, const char __user *buf,
			 size_t count, s64 *ppos);
	int (*mmap)(struct uvfio_file *file, struct uvfio_vma *vma);
	/* Runs once, when the last reference to the file is put. */
	void (*release)(struct uvfio_file *file);
};

struct uvfio_file {
	refcount_t f_count;	/* one per fd slot, one per in-flight call */
	const struct uvfio_file_operations *f_op;	/* immutable */
	struct uvfio_node *f_node;	/* immutable; NULL for anon files */
	const char *f_anon_name;	/* immutable; "[vfio-device]" */
	unsigned int f_flags;	/* immutable: the O_* flags of the open */
	unsigned int f_mode;	/* immutable: FMODE_* */
	struct mutex f_pos_lock;	/* protects f_pos, as FMODE_ATOMIC_POS */
	s64 f_pos;		/* f_pos_lock */
	void *private_data;	/* owned by f_op */
};

/*
 * An emulated character device node. Nodes are registered at setup and live
 * until the process exits.
 */
struct uvfio_node {
	char path[64];		/* absolute, normalized: "/dev/iommu" */
	mode_t mode;		/* S_IFCHR | 0600, as devtmpfs makes it */
	dev_t rdev;		/* what fstat and sysfs "dev" report */
	u64 ino;		/* a stable inode number for stat */
	/* Fills file->f_op and private_data; returns 0 or -errno. */
	int (*open)(struct uvfio_node *node, struct uvfio_file *file);
	void *private_data;	/* owned by the registrant */
	struct list_head list;	/* node_lock in node.c */
};

/* file.c: allocation, references and the traced dispatch entry points. */
struct uvfio_file *uvfio_file_alloc(const struct uvfio_file_operations *fops,
				    unsigned int o_flags, void *private_data);
void uvfio_file_get(struct uvfio_file *file);
void uvfio_file_put(struct uvfio_file *file);
void uvfio_file_put_deferred(struct uvfio_file *file);
long vfs_ioctl(struct uvfio_file *file, unsigned int cmd, unsigned long arg);
/* pos == NULL means the file position (read/write), else pread/pwrite. */
ssize_t vfs_read(struct uvfio_file *file, void __user *buf, size_t count,
		 const s64 *pos);
ssize_t vfs_write(struct uvfio_file *file, const void __user *buf,
		  size_t count, const s64 *pos);
void *vfs_mmap(struct uvfio_file *file, void *addr, size_t len, int prot,
	       int flags, s64 offset);
void vfs_trace_init(void);

/* fdtable.c: real fd numbers to files. */
int get_unused_fd_flags(const char *name, unsigned int o_flags);
void put_unused_fd(int fd);
void fd_install(int fd, struct uvfio_file *file);
struct uvfio_file *uvfio_fget(int fd);
#define uvfio_fput(file)	uvfio_file_put(file)
bool uvfio_fd_tracked(int fd);
bool uvfio_fd_is_open(int fd);
int uvfio_fd_close(int fd);
int uvfio_fd_close_begin(int fd);
void uvfio_fd_close_end(int fd);
void uvfio_fd_dup_done(int oldfd, int newfd);
void uvfio_fdtable_atfork_child(void);

/* node.c: the /dev registry. */
int uvfio_node_register(struct uvfio_node *node);
struct uvfio_node *uvfio_node_lookup(const char *path);
int uvfio_node_open(struct uvfio_node *node, int o_flags);
int uvfio_path_normalize(const char *path, char *buf, size_t size);

/* redirect.c: which paths live in the emulated trees. */
int uvfio_redirect_add(const char *prefix);
const char *uvfio_sysfs_root(void);

#endif /* UVFIO_VFS_VFS_H */
