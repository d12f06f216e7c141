/* SPDX-License-Identifier: MIT */
/*
 * libuvfio: the Linux VFIO and iommufd subsystem, emulated in userspace.
 *
 * One emulated kernel lives in each process that loads the library. Create
 * its devices with uvfio_device_add(), then use them exactly as a VFIO
 * program uses the kernel's: open "/dev/iommu" or "/dev/vfio/devices/vfioN"
 * with uvfio_open() and drive them with uvfio_ioctl(), uvfio_pread(), ...
 * The structs, ioctl numbers and errno values are the kernel's
 * (include/uvfio/uapi/). The fds these calls return are real kernel fds,
 * unique in the process, that only this library can operate on.
 *
 * This is the same dispatch layer the LD_PRELOAD interposer
 * (libuvfio-preload.so, started by "uvfio run") routes libc calls into, so a
 * test or fuzzer can drive the emulated kernel without any interposer.
 *
 * Conventions: every function returns 0 or a non-negative value on success
 * and a negative errno on failure; none of them sets errno. All functions
 * are thread-safe unless their comment says otherwise.
 */
#ifndef UVFIO_UVFIO_H
#define UVFIO_UVFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An emulated device, as device models and DMA see it (opaque). It is the
 * same object the VFIO core calls a vfio_device.
 */
struct uvfio_device;

/*
 * uvfio_device_add - create an emulated PCI device bound to vfio-pci.
 * @spec: "MODEL[,bdf=DDDD:BB:DD.F]", for example "edu" or
 *        "edu,bdf=0000:00:05.0". Without bdf the device takes the first free
 *        address from 0000:00:04.0 on.
 *
 * The device gets the lowest free /dev/vfio/devices/vfioN and its own IOMMU
 * group. Returns N, -EINVAL for a malformed spec, -ENODEV for an unknown
 * model, -EEXIST for a taken address, or -ENOMEM.
 * Not thread-safe against concurrent opens: create devices at setup.
 */
int uvfio_device_add(const char *spec);

/*
 * uvfio_model_exists - whether MODEL (the part of a spec before any comma)
 * names a device model. Returns 1 or 0.
 */
int uvfio_model_exists(const char *spec);

/*
 * uvfio_open - open an emulated device node, as open(2) would.
 * Returns a new fd, -ENOENT when @path is not an emulated node (the caller
 * should then use the real open), or the errno the kernel's open returns.
 */
int uvfio_open(const char *path, int flags);

/* uvfio_is_node - whether @path names an emulated device node. */
bool uvfio_is_node(const char *path);

/* uvfio_is_fd - whether @fd is an fd of an emulated file. */
bool uvfio_is_fd(int fd);

/*
 * The file operations. Each returns -EBADF when @fd is not an emulated file,
 * else what the kernel's syscall returns, with -errno for -1/errno.
 */
long uvfio_ioctl(int fd, unsigned long request, void *arg);
ssize_t uvfio_read(int fd, void *buf, size_t count);
ssize_t uvfio_write(int fd, const void *buf, size_t count);
ssize_t uvfio_pread(int fd, void *buf, size_t count, off_t offset);
ssize_t uvfio_pwrite(int fd, const void *buf, size_t count, off_t offset);
/* Stores the mapping's address in @out on success. */
int uvfio_mmap(void *addr, size_t length, int prot, int flags, int fd,
	       off_t offset, void **out);
/* Closes @fd, emulated or not; the file dies with its last fd. */
int uvfio_close(int fd);
/*
 * For a caller that closes an emulated fd itself (fclose() of a FILE over
 * it): uvfio_close_begin() before the real close (-EBADF if @fd is not
 * emulated), uvfio_close_end() after it. Together they do what
 * uvfio_close() does.
 */
int uvfio_close_begin(int fd);
void uvfio_close_end(int fd);
/* Records that the real dup/dup2/dup3/F_DUPFD made @newfd from @oldfd. */
void uvfio_dup_done(int oldfd, int newfd);

/* stat of an emulated node (-ENOENT if @path is not one), or of an fd. */
int uvfio_stat(const char *path, struct stat *st);
int uvfio_fstat(int fd, struct stat *st);

/*
 * uvfio_fd_path - the path an emulated fd was opened from, as
 * readlink("/proc/self/fd/N") shows it. Returns its length (not
 * NUL-terminated, truncated to @size) or -EBADF.
 */
ssize_t uvfio_fd_path(int fd, char *buf, size_t size);

/*
 * The emulated sysfs and /dev directory trees. uvfio keeps them as real
 * files under a root directory, so that every path-based libc call works on
 * them once the path is rewritten.
 *
 * uvfio_sysfs_populate - write the tree for the current devices under @root
 *                        (an existing, empty directory). Returns 0 or -errno.
 * uvfio_sysfs_set_root - use the tree at @root, written by a populate.
 * uvfio_path_redirect  - if @path lies in the emulated trees, write its
 *                        location under the root to @buf and return 1;
 *                        return 0 for any other path; -ENAMETOOLONG.
 */
int uvfio_sysfs_populate(const char *root);
int uvfio_sysfs_set_root(const char *root);
int uvfio_path_redirect(const char *path, char *buf, size_t size);

/*
 * uvfio_path_overlay - for a host directory the emulation adds entries to
 * (/sys/bus/pci/devices, /sys/kernel/iommu_groups, ...): write the tree's
 * directory at the same place to @buf and return 1; 0 if there is none.
 * A directory listing shows the host's entries, then the tree's others.
 */
int uvfio_path_overlay(const char *path, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* UVFIO_UVFIO_H */
