// SPDX-License-Identifier: MIT
/*
 * The fd table: real kernel fd numbers to emulated files.
 *
 * Each emulated file sits behind a real placeholder fd (a memfd, so every
 * open file has its own inode), which makes the numbers unique, lets them
 * travel inside ioctl structs, and gives dup, close-on-exec and fork their
 * kernel behaviour for free. The table only remembers which numbers are ours.
 *
 * Lookups take no lock. Slots live in chunks that are allocated once and
 * never freed. A reader announces itself in the slot's reader count before
 * loading the file pointer and takes its own file reference; close swaps the
 * pointer out and waits for announced readers to leave before dropping the
 * slot's reference. So a close racing an in-flight call never frees the file
 * under it, which is what fget/fput give the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

#define FDT_CHUNK_SHIFT	10
#define FDT_CHUNK	(1u << FDT_CHUNK_SHIFT)
#define FDT_CHUNKS	1024u	/* fds up to 1M, the usual hard RLIMIT_NOFILE */

struct fd_slot {
	struct uvfio_file *file;	/* seq_cst xchg/load; see file comment */
	unsigned long readers;		/* seq_cst inc; release dec */
	struct uvfio_file *closing;	/* relaxed: the closer's own stash */
};

/*
 * A slot whose fd is being closed: the number is still ours, so calls on it
 * answer EBADF, as the kernel's would once close began, instead of reaching
 * the placeholder behind it.
 */
#define FDT_CLOSING	((struct uvfio_file *)1)

/* Chunk pointers: set once by CAS with release, read with acquire. */
static struct fd_slot *fdt_chunks[FDT_CHUNKS];

static struct fd_slot *fdt_slot(int fd, bool create)
{
	unsigned int chunk = (unsigned int)fd >> FDT_CHUNK_SHIFT;
	struct fd_slot *slots, *expected = NULL;

	if (fd < 0 || chunk >= FDT_CHUNKS)
		return NULL;
	slots = __atomic_load_n(&fdt_chunks[chunk], __ATOMIC_ACQUIRE);
	if (slots || !create)
		return slots ? &slots[fd & (FDT_CHUNK - 1)] : NULL;

	slots = calloc(FDT_CHUNK, sizeof(*slots));
	if (!slots)
		return NULL;
	if (!__atomic_compare_exchange_n(&fdt_chunks[chunk], &expected, slots,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		free(slots);
		slots = expected;
	}
	return &slots[fd & (FDT_CHUNK - 1)];
}

/*
 * Takes the slot's file out, leaving @mark behind (NULL or FDT_CLOSING);
 * the caller owns the slot's reference. Returns NULL if there was no file.
 */
static struct uvfio_file *fdt_slot_take(struct fd_slot *slot,
					struct uvfio_file *mark)
{
	struct uvfio_file *file;

	file = __atomic_exchange_n(&slot->file, mark, __ATOMIC_SEQ_CST);
	if (file == FDT_CLOSING)
		return NULL;
	/* Paired with the reader count in uvfio_fget(). */
	while (file && __atomic_load_n(&slot->readers, __ATOMIC_ACQUIRE))
		sched_yield();
	return file;
}

static void fdt_slot_set(struct fd_slot *slot, struct uvfio_file *file)
{
	struct uvfio_file *stale;

	/*
	 * A number still marked ours can only be stale: the kernel just gave
	 * it out again, so its placeholder was closed behind our back.
	 */
	stale = __atomic_exchange_n(&slot->file, file, __ATOMIC_SEQ_CST);
	if (stale && stale != FDT_CLOSING) {
		while (__atomic_load_n(&slot->readers, __ATOMIC_ACQUIRE))
			sched_yield();
		uvfio_file_put(stale);
	}
}

/*
 * Reserves a real fd number for an emulated file about to be opened, as the
 * kernel's get_unused_fd_flags(): the placeholder memfd is named @name in
 * /proc/self/fd and carries O_CLOEXEC from @o_flags. Returns it or -errno.
 */
int get_unused_fd_flags(const char *name, unsigned int o_flags)
{
	unsigned int mfd_flags = (o_flags & O_CLOEXEC) ? MFD_CLOEXEC : 0;
	int fd, saved = errno;

	fd = memfd_create(name, mfd_flags);
	if (fd < 0) {
		fd = -errno;
		errno = saved;
		return fd;
	}
	if (!fdt_slot(fd, true)) {
		syscall(SYS_close, fd);
		return -EMFILE;
	}
	return fd;
}

/* Gives back a number from get_unused_fd_flags() that was never installed. */
void put_unused_fd(int fd)
{
	int saved = errno;

	syscall(SYS_close, fd);
	errno = saved;
}

/* Publishes @file at @fd; the fd owns the caller's reference from then on. */
void fd_install(int fd, struct uvfio_file *file)
{
	fdt_slot_set(fdt_slot(fd, true), file);
}

/* Returns the file behind @fd with a reference, or NULL if it is not ours. */
struct uvfio_file *uvfio_fget(int fd)
{
	struct fd_slot *slot = fdt_slot(fd, false);
	struct uvfio_file *file;

	/* Most fds a client uses are not ours: answer them without an RMW. */
	if (!slot || !__atomic_load_n(&slot->file, __ATOMIC_ACQUIRE))
		return NULL;
	/* Paired with the wait in fdt_slot_take(). */
	__atomic_add_fetch(&slot->readers, 1, __ATOMIC_SEQ_CST);
	file = __atomic_load_n(&slot->file, __ATOMIC_SEQ_CST);
	if (file == FDT_CLOSING)
		file = NULL;
	if (file)
		uvfio_file_get(file);
	__atomic_sub_fetch(&slot->readers, 1, __ATOMIC_RELEASE);
	return file;
}

bool uvfio_fd_tracked(int fd)
{
	struct fd_slot *slot = fdt_slot(fd, false);

	return slot && __atomic_load_n(&slot->file, __ATOMIC_ACQUIRE);
}

/* Whether @fd is open at all, emulated or not (fdget() would find it). */
bool uvfio_fd_is_open(int fd)
{
	int saved = errno;
	bool open = syscall(SYS_fcntl, fd, F_GETFD) >= 0;

	errno = saved;
	return open;
}

/*
 * close() of an fd, in two halves around the real close: mark it closing,
 * so concurrent calls get EBADF rather than the placeholder; (the caller
 * closes the placeholder, with close() or fclose()); then forget the
 * number, unless an open that the kernel gave the same number has already
 * claimed it, and put the file last, so a call still running on it keeps
 * it alive. begin returns -EBADF when @fd is not an emulated file.
 */
int uvfio_fd_close_begin(int fd)
{
	struct fd_slot *slot = fdt_slot(fd, false);
	struct uvfio_file *file = slot ? fdt_slot_take(slot, FDT_CLOSING) :
					 NULL;

	if (!file)
		return -EBADF;
	__atomic_store_n(&slot->closing, file, __ATOMIC_RELAXED);
	return 0;
}

void uvfio_fd_close_end(int fd)
{
	struct fd_slot *slot = fdt_slot(fd, false);
	struct uvfio_file *file, *closing = FDT_CLOSING;

	if (!slot)
		return;
	file = __atomic_exchange_n(&slot->closing, NULL, __ATOMIC_RELAXED);
	__atomic_compare_exchange_n(&slot->file, &closing, NULL, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	uvfio_file_put(file);
}

/* Returns what the real close returned (0 or -errno). */
int uvfio_fd_close(int fd)
{
	int saved = errno;
	bool ours = !uvfio_fd_close_begin(fd);
	int ret = 0;

	if (syscall(SYS_close, fd))
		ret = -errno;
	errno = saved;
	if (ours)
		uvfio_fd_close_end(fd);
	return ret;
}

/*
 * After a successful real dup/dup2/dup3/F_DUPFD made @newfd from @oldfd:
 * @newfd now shares @oldfd's open file, as in the kernel. Whatever file
 * @newfd held before was closed by the kernel call.
 */
void uvfio_fd_dup_done(int oldfd, int newfd)
{
	struct uvfio_file *file;
	struct fd_slot *slot;

	if (oldfd == newfd)
		return;
	file = uvfio_fget(oldfd);
	slot = fdt_slot(newfd, file != NULL);
	if (slot)
		uvfio_file_put(fdt_slot_take(slot, NULL));
	if (file && slot)
		fdt_slot_set(slot, file);
	else
		uvfio_file_put(file);
}

/*
 * In a fork child only the forking thread runs: a reader count left by any
 * other thread would make close wait forever. Their file references leak,
 * which is harmless.
 */
void uvfio_fdtable_atfork_child(void)
{
	for (unsigned int c = 0; c < FDT_CHUNKS; c++) {
		struct fd_slot *slots = fdt_chunks[c];

		if (!slots)
			continue;
		for (unsigned int i = 0; i < FDT_CHUNK; i++)
			slots[i].readers = 0;
	}
}
