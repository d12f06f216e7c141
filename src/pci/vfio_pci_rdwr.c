// SPDX-License-Identifier: MIT
/*
 * BAR and ROM access through the device fd: pread/pwrite and mmap (the
 * kernel's drivers/vfio/pci/vfio_pci_rdwr.c, and vfio_pci_core_mmap()).
 *
 * A trapped BAR reaches the model's bar_read/bar_write for every piece of
 * an access. A memory BAR is a memfd mapped once for the model and once per
 * client mmap; pread/pwrite copy it directly. A memory BAR with mmap areas
 * is memory inside the areas and trapped outside them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfio_pci_core.h"
#include "pci_regs.h"
#include "../vfs/uaccess.h"

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t page_align(u64 len)
{
	size_t page = page_size();

	return (size_t)((len + page - 1) & ~(u64)(page - 1));
}

/*
 * The memory window of @bar that contains @pos, as [*start, *end), or
 * false with *end set to where the next window starts (or the BAR end).
 */
static bool vfio_pci_bar_mem_window(struct vfio_pci_core_device *vdev,
				    int bar, u64 pos, u64 *start, u64 *end)
{
	const struct uvfio_bar *b = &vdev->model->bars[bar];
	u64 next = vdev->bar_len[bar];

	if (vdev->bar_mem[bar].memfd < 0)
		goto trapped;
	if (!b->nr_mmap_areas) {
		*start = 0;
		*end = next;
		return true;
	}
	for (unsigned int i = 0; i < b->nr_mmap_areas; i++) {
		const struct uvfio_bar_area *a = &b->mmap_areas[i];

		if (pos >= a->offset && pos < a->offset + a->size) {
			*start = a->offset;
			*end = a->offset + a->size;
			return true;
		}
		if (a->offset > pos && a->offset < next)
			next = a->offset;
	}
trapped:
	*end = next;
	return false;
}

/* The MSI-X table, which vfio-pci keeps out of reach of read and write. */
static void vfio_pci_msix_window(struct vfio_pci_core_device *vdev, int bar,
				 u64 *x_start, u64 *x_end)
{
	const struct uvfio_device_model *model = vdev->model;

	*x_start = *x_end = 0;
	if (!model->msix_vectors || model->msix_bar != bar)
		return;
	*x_start = model->msix_table_offset;
	*x_end = *x_start + 16ull * model->msix_vectors;
}

/* One trapped access of 1, 2 or 4 bytes; the caller holds state_lock. */
static int vfio_pci_trap_rw(struct vfio_pci_core_device *vdev, int bar,
			    char __user *buf, u64 pos, unsigned int size,
			    bool iswrite)
{
	const struct uvfio_device_model *model = vdev->model;
	struct uvfio_device *dev = pci_to_uvfio(vdev);
	u64 val = 0;

	if (iswrite) {
		if (copy_from_user(&val, buf, size))
			return -EFAULT;
		if (model->bar_write)
			model->bar_write(dev, bar, pos, val, size);
		return 0;
	}
	val = model->bar_read ? model->bar_read(dev, bar, pos, size) : ~0ULL;
	return copy_to_user(buf, &val, size) ? -EFAULT : 0;
}

/*
 * The body of an access once bounds are checked, as
 * vfio_pci_core_do_io_rw() on 6.1: pieces of 4, 2 or 1 bytes, naturally
 * aligned (newer kernels also issue 8-byte pieces; 6.1 is what the
 * reference host answers). Memory windows are copied whole; the MSI-X
 * table [x_start, x_end) reads as all ones and drops writes.
 */
static ssize_t vfio_pci_do_io_rw(struct vfio_pci_core_device *vdev, int bar,
				 char __user *buf, u64 pos, size_t count,
				 bool iswrite)
{
	u64 x_start, x_end, wstart, wend;
	size_t done = 0;
	int ret = 0;

	vfio_pci_msix_window(vdev, bar, &x_start, &x_end);
	pthread_mutex_lock(&vdev->state_lock);
	while (count) {
		size_t size;

		if (pos >= x_start && pos < x_end) {
			static const u8 ones[8] = {
				0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
			};

			size = min_t(size_t, count, min_t(u64, x_end - pos, 8));
			if (!iswrite && copy_to_user(buf, ones, size)) {
				ret = -EFAULT;
				break;
			}
		} else if (vfio_pci_bar_mem_window(vdev, bar, pos, &wstart,
						   &wend)) {
			u8 *mem = (u8 *)vdev->bar_mem[bar].mem + pos;

			size = min_t(u64, count, wend - pos);
			if (x_start > pos)
				size = min_t(u64, size, x_start - pos);
			ret = iswrite ? copy_from_user(mem, buf, size) :
					copy_to_user(buf, mem, size);
			if (ret)
				break;
		} else {
			size = vfio_pci_access_size(pos, count);
			ret = vfio_pci_trap_rw(vdev, bar, buf, pos,
					       (unsigned int)size, iswrite);
			if (ret)
				break;
		}
		count -= size;
		done += size;
		buf += size;
		pos += size;
	}
	pthread_mutex_unlock(&vdev->state_lock);
	return ret ? ret : (ssize_t)done;
}

/*
 * As vfio_pci_bar_rw(): an empty BAR or a start at or past the end is
 * EINVAL, an access crossing the end is cut short, and a memory BAR with
 * COMMAND.MEMORY clear answers EIO (vfio_pci_core_ioread32()).
 */
ssize_t vfio_pci_bar_rw(struct vfio_pci_core_device *vdev, int bar,
			char __user *buf, size_t count, s64 *ppos,
			bool iswrite)
{
	const struct uvfio_device_model *model = vdev->model;
	u64 pos = (u64)*ppos & VFIO_PCI_OFFSET_MASK;
	u64 end = vdev->bar_len[bar];
	ssize_t done;

	if (!end || pos >= end)
		return -EINVAL;
	count = min_t(u64, count, end - pos);
	if (!(model->bars[bar].flags & UVFIO_BAR_IO) &&
	    !vfio_pci_memory_enabled(vdev))
		return -EIO;
	done = vfio_pci_do_io_rw(vdev, bar, buf, pos, count, iswrite);
	if (done >= 0)
		*ppos += done;
	return done;
}

/*
 * The option ROM region: read-only (vfio_pci_rw() refuses writes with
 * EINVAL), as long as the ROM BAR, and what the model supplied.
 */
ssize_t vfio_pci_rom_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, s64 *ppos, bool iswrite)
{
	const struct uvfio_device_model *model = vdev->model;
	u64 pos = (u64)*ppos & VFIO_PCI_OFFSET_MASK;
	u64 end = model->rom_size;
	const u8 *rom = model->rom;
	u8 chunk[256];
	size_t done = 0;

	if (iswrite || !end || pos >= end)
		return -EINVAL;
	count = min_t(u64, count, end - pos);
	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(chunk));

		if (rom)
			memcpy(chunk, rom + pos + done, n);
		else
			memset(chunk, 0, n);
		if (copy_to_user(buf + done, chunk, n))
			return -EFAULT;
		done += n;
	}
	*ppos += (s64)done;
	return (ssize_t)done;
}

/*
 * As vdev->bar_mmap_supported[]: a memory-backed BAR, or a trapped one
 * whose faults can be served (vfio_pci_mmio_trap.c).
 */
bool vfio_pci_bar_mmap_supported(struct vfio_pci_core_device *vdev, int bar)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS || !vdev->bar_len[bar])
		return false;
	if (vdev->bar_mem[bar].memfd >= 0)
		return true;
#ifdef __x86_64__
	return vdev->model->bars[bar].flags & UVFIO_BAR_MMAP_TRAP;
#else
	return false;
#endif
}

/*
 * As vfio_pci_core_mmap() once the index is known to be a BAR: a BAR that
 * cannot be mapped, or a request past the page-aligned BAR end, is EINVAL.
 * With mmap areas (SPARSE_MMAP) the request must also lie in one area, as
 * the kernel's sparse-mmap drivers demand.
 */
int vfio_pci_bar_mmap(struct vfio_pci_core_device *vdev, int bar,
		      struct uvfio_vma *vma)
{
	const struct uvfio_bar *b = &vdev->model->bars[bar];
	u64 req_start = vma->offset & VFIO_PCI_OFFSET_MASK;
	u64 req_len = page_align(vma->len);
	void *addr;

	if (!vfio_pci_bar_mmap_supported(vdev, bar))
		return -EINVAL;
	if (req_start + req_len > page_align(vdev->bar_len[bar]) ||
	    req_start + req_len < req_start)
		return -EINVAL;
	if (b->nr_mmap_areas) {
		bool inside = false;

		for (unsigned int i = 0; i < b->nr_mmap_areas; i++) {
			const struct uvfio_bar_area *a = &b->mmap_areas[i];

			inside |= req_start >= a->offset &&
				  req_start + req_len <= a->offset + a->size;
		}
		if (!inside)
			return -EINVAL;
	}
	if (vdev->bar_mem[bar].memfd < 0)
		return vfio_pci_mmio_trap_mmap(vdev, bar, req_start, vma);
	addr = mmap(vma->addr, vma->len, vma->prot, vma->flags,
		    vdev->bar_mem[bar].memfd, (off_t)req_start);
	if (addr == MAP_FAILED)
		return -errno;
	vma->addr = addr;
	return 0;
}

static int vfio_pci_memfd_create(struct vfio_pci_core_device *vdev, int bar,
				 size_t len)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "uvfio-%s-bar%d", vdev->vdev.name, bar);
	fd = (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)len)) {
		int err = -errno;

		syscall(SYS_close, fd);
		return err;
	}
	return fd;
}

/* Creates the memfd and the model's mapping of every memory BAR. */
int vfio_pci_bar_mem_init(struct vfio_pci_core_device *vdev)
{
	int fd;

	for (int i = 0; i < PCI_STD_NUM_BARS; i++)
		vdev->bar_mem[i].memfd = -1;
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct vfio_pci_bar_mem *m = &vdev->bar_mem[i];

		if (!vdev->bar_len[i] ||
		    !(vdev->model->bars[i].flags & UVFIO_BAR_MEMORY))
			continue;
		m->len = page_align(vdev->bar_len[i]);
		fd = vfio_pci_memfd_create(vdev, i, m->len);
		if (fd < 0)
			goto err_exit;
		m->mem = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED,
			      fd, 0);
		if (m->mem == MAP_FAILED) {
			int err = -errno;

			syscall(SYS_close, fd);
			m->mem = NULL;
			fd = err;
			goto err_exit;
		}
		m->memfd = fd;
	}
	return 0;

err_exit:
	vfio_pci_bar_mem_exit(vdev);
	return fd;
}

/* Balances vfio_pci_bar_mem_init(); client mappings stay valid. */
void vfio_pci_bar_mem_exit(struct vfio_pci_core_device *vdev)
{
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct vfio_pci_bar_mem *m = &vdev->bar_mem[i];

		if (m->memfd < 0)
			continue;
		munmap(m->mem, m->len);
		syscall(SYS_close, m->memfd);
		m->memfd = -1;
		m->mem = NULL;
	}
}

/* Reads all of /proc/self/maps with raw syscalls; NULL on failure. */
static char *read_self_maps(void)
{
	size_t size = 16384, len = 0;
	char *buf = malloc(size);
	int fd;

	if (!buf)
		return NULL;
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps",
			  O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto err_free;
	for (;;) {
		ssize_t n;

		if (size - len < 4096) {
			char *bigger = realloc(buf, size * 2);

			if (!bigger)
				goto err_close;
			buf = bigger;
			size *= 2;
		}
		n = syscall(SYS_read, fd, buf + len, size - len - 1);
		if (n < 0)
			goto err_close;
		if (!n)
			break;
		len += (size_t)n;
	}
	syscall(SYS_close, fd);
	buf[len] = '\0';
	return buf;

err_close:
	syscall(SYS_close, fd);
err_free:
	free(buf);
	return NULL;
}

/*
 * In a fork child: give each memory BAR a memfd of its own, holding a copy
 * of the parent's bytes, and move every mapping of the old one (the
 * model's and the client's, found in /proc/self/maps by inode) onto it, so
 * the child's device no longer shares memory with the parent's.
 */
int vfio_pci_bar_mem_atfork_child(struct vfio_pci_core_device *vdev)
{
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct vfio_pci_bar_mem *m = &vdev->bar_mem[i];
		char *maps, *line, *save = NULL;
		struct stat st;
		int fd;

		if (m->memfd < 0)
			continue;
		if (fstat(m->memfd, &st))
			return -errno;
		fd = vfio_pci_memfd_create(vdev, i, m->len);
		if (fd < 0)
			return fd;
		if (syscall(SYS_pwrite64, fd, m->mem, m->len, 0) !=
		    (long)m->len) {
			syscall(SYS_close, fd);
			return -EIO;
		}
		maps = read_self_maps();
		if (!maps) {
			syscall(SYS_close, fd);
			return -ENOMEM;
		}
		for (line = strtok_r(maps, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			unsigned long start, end, off, ino;
			char perms[8];
			int prot = 0;

			if (sscanf(line, "%lx-%lx %7s %lx %*x:%*x %lu", &start,
				   &end, perms, &off, &ino) != 5 ||
			    ino != st.st_ino)
				continue;
			prot |= perms[0] == 'r' ? PROT_READ : 0;
			prot |= perms[1] == 'w' ? PROT_WRITE : 0;
			prot |= perms[2] == 'x' ? PROT_EXEC : 0;
			mmap((void *)start, end - start, prot,
			     MAP_SHARED | MAP_FIXED, fd, (off_t)off);
		}
		free(maps);
		syscall(SYS_close, m->memfd);
		m->memfd = fd;
	}
	return 0;
}
