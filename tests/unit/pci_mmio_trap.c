// SPDX-License-Identifier: MIT
/*
 * mmap of a trapped BAR (UVFIO_BAR_MMAP_TRAP, src/pci/vfio_pci_mmio_trap.c),
 * driven through the public API without the interposer: a recording model
 * is mapped, and each x86-64 instruction form the fault handler decodes is
 * issued with inline assembly, so that the test pins the exact encoding.
 * The model sees the offset, size and value of each access; the CPU sees
 * the register results a real device would give.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "harness.h"
#include <uvfio/device.h>
#include <uvfio/uapi/vfio.h>
#include <uvfio/uvfio.h>

#if defined(__x86_64__)

/*
 * What the model saw last; the test is single-threaded, but the callbacks
 * run in the fault handler, hence volatile.
 */
static volatile struct {
	uint64_t off, val;
	unsigned int size;
	int writes, reads;
} seen;

/* Reads answer this pattern, cut to the access size. */
#define PATTERN	0x8877665544332211ull

static uint64_t rec_read(struct uvfio_device *dev, int bar, uint64_t off,
			 unsigned int size)
{
	seen.off = off;
	seen.size = size;
	seen.reads++;
	return size == 8 ? PATTERN : PATTERN & ((1ull << (size * 8)) - 1);
}

static void rec_write(struct uvfio_device *dev, int bar, uint64_t off,
		      uint64_t val, unsigned int size)
{
	seen.off = off;
	seen.val = val;
	seen.size = size;
	seen.writes++;
}

static const struct uvfio_device_model rec_model = {
	.size = sizeof(struct uvfio_device_model),
	.name = "recorder",
	.vendor = 0x1b36,
	.device = 0x0005,
	.class_code = 0xff0000,
	.bars = {
		[0] = { .size = 16384, .flags = UVFIO_BAR_MMAP_TRAP },
		[1] = { .size = 4096 },
	},
	.bar_read = rec_read,
	.bar_write = rec_write,
};

/* A bound device and a mapping of BAR0 at page @pgoff. */
static volatile uint8_t *map_bar0(unsigned int pgoff, int *devfd_out)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	char path[64];
	int index = uvfio_device_add_model(&rec_model, NULL, "");
	int iommufd, devfd;
	void *p = NULL;

	ASSERT_TRUE(index >= 0);
	snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", index);
	iommufd = uvfio_open("/dev/iommu", O_RDWR);
	devfd = uvfio_open(path, O_RDWR);
	ASSERT_TRUE(iommufd >= 0 && devfd >= 0);
	bind.iommufd = iommufd;
	ASSERT_EQ(0, uvfio_ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
	/* COMMAND.MEMORY is on at power-on (0x0103) */
	ASSERT_EQ(0, uvfio_mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_SHARED, devfd, (off_t)pgoff * 4096, &p));
	if (devfd_out)
		*devfd_out = devfd;
	return p;
}

TEST(mmio_trap, recorder, region_reports_mmap)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_region_info info = { .argsz = sizeof(info) };
	int index = uvfio_device_add_model(&rec_model, NULL, "");
	char path[64];
	int devfd;
	void *p;

	ASSERT_TRUE(index >= 0);
	snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", index);
	devfd = uvfio_open(path, O_RDWR);
	bind.iommufd = uvfio_open("/dev/iommu", O_RDWR);
	ASSERT_EQ(0, uvfio_ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
	ASSERT_EQ(0, uvfio_ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &info));
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP, info.flags);
	/* a plain trapped BAR has no MMAP, and mmap refuses it */
	info.index = 1;
	ASSERT_EQ(0, uvfio_ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &info));
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  info.flags);
	EXPECT_EQ(-EINVAL, uvfio_mmap(NULL, 4096, PROT_READ, MAP_SHARED, devfd,
				      1ll << 40, &p));
}

TEST(mmio_trap, recorder, loads_of_every_width)
{
	volatile uint8_t *p = map_bar0(0, NULL);
	uint64_t r = 0xdeadbeefcafef00dull;

	/* 8B /r: a 32-bit load zero-extends into the 64-bit register */
	asm volatile("movl 0x10(%1), %k0" : "+r"(r) : "r"(p) : "memory");
	EXPECT_EQ(0x44332211ull, r);
	EXPECT_EQ(0x10, seen.off);
	EXPECT_EQ(4, seen.size);
	/* REX.W 8B: 64 bits */
	asm volatile("movq 0x18(%1), %0" : "=r"(r) : "r"(p) : "memory");
	EXPECT_EQ(PATTERN, r);
	EXPECT_EQ(8, seen.size);
	/* 66 8B: 16 bits, the rest of the register kept */
	r = 0xffffffffffffffffull;
	asm volatile("movw 0x20(%1), %w0" : "+r"(r) : "r"(p) : "memory");
	EXPECT_EQ(0xffffffffffff2211ull, r);
	EXPECT_EQ(2, seen.size);
	/* 8A: 8 bits into AH (no REX: a high-byte register) */
	r = 0;
	asm volatile("movb 0x21(%1), %%ah" : "+a"(r) : "r"(p) : "memory");
	EXPECT_EQ(0x1100ull, r);
	EXPECT_EQ(0x21, seen.off);
	EXPECT_EQ(1, seen.size);
	/* 0F B6 / 0F B7: zero-extending */
	asm volatile("movzbl 0x30(%1), %k0" : "=r"(r) : "r"(p) : "memory");
	EXPECT_EQ(0x11, r);
	asm volatile("movzwq 0x30(%1), %0" : "=r"(r) : "r"(p) : "memory");
	EXPECT_EQ(0x2211, r);
	/* 0F BE: sign-extending (0x11 is positive; 0x88 in 8 bytes is not) */
	asm volatile("movsbq 0x30(%1), %0" : "=r"(r) : "r"(p) : "memory");
	EXPECT_EQ(0x11, r);
	EXPECT_EQ(7, seen.reads);
}

TEST(mmio_trap, recorder, stores_of_every_form)
{
	volatile uint8_t *p = map_bar0(1, NULL);
	uint64_t v = 0x0123456789abcdefull, idx = 3;
	register uint64_t r15 asm("r15") = 0xfeedfacecafebeefull;

	/* 89 /r with SIB and disp8; the map starts at BAR offset 4096 */
	asm volatile("movl %k0, 0x8(%1,%2,4)" : : "r"(v), "r"(p), "r"(idx)
		     : "memory");
	EXPECT_EQ(4096 + 0x8 + 12, seen.off);
	EXPECT_EQ(0x89abcdef, seen.val & 0xffffffff);
	EXPECT_EQ(4, seen.size);
	/* REX.W + REX.R: r15 */
	asm volatile("movq %0, 0x40(%1)" : : "r"(r15), "r"(p) : "memory");
	EXPECT_EQ(0xfeedfacecafebeefull, seen.val);
	EXPECT_EQ(8, seen.size);
	/* 88 from a high-byte register */
	asm volatile("movb %%ah, 0x7(%1)" : : "a"(0x5a00ull), "r"(p)
		     : "memory");
	EXPECT_EQ(0x5a, seen.val & 0xff);
	EXPECT_EQ(1, seen.size);
	EXPECT_EQ(4096 + 7, seen.off);
	/* C7 with imm32, and REX.W C7 sign-extending it */
	asm volatile("movl $0x12345678, 0x100(%0)" : : "r"(p) : "memory");
	EXPECT_EQ(0x12345678, seen.val & 0xffffffff);
	asm volatile("movq $-2, 0x108(%0)" : : "r"(p) : "memory");
	EXPECT_EQ(0xfffffffffffffffeull, seen.val);
	EXPECT_EQ(8, seen.size);
	/* 66 C7 with imm16, C6 with imm8 */
	asm volatile("movw $0x4321, 0x110(%0)" : : "r"(p) : "memory");
	EXPECT_EQ(0x4321, seen.val & 0xffff);
	EXPECT_EQ(2, seen.size);
	asm volatile("movb $0x7e, 0x112(%0)" : : "r"(p) : "memory");
	EXPECT_EQ(0x7e, seen.val & 0xff);
	EXPECT_EQ(1, seen.size);
	EXPECT_EQ(7, seen.writes);
}

TEST(mmio_trap, recorder, c_volatile_accesses)
{
	volatile uint32_t *regs = (volatile uint32_t *)map_bar0(2, NULL);

	/* whatever the compiler emits for plain volatile code */
	regs[5] = 0xa5a5a5a5;
	EXPECT_EQ(8192 + 20, seen.off);
	EXPECT_EQ(0xa5a5a5a5, seen.val & 0xffffffff);
	EXPECT_EQ(0x44332211, regs[6]);
	EXPECT_EQ(8192 + 24, seen.off);
}

/*
 * Killed by the fault: SIGSEGV, or under a sanitizer (whose SEGV handler
 * is the previous one we chain to) its report and a failing exit.
 */
static bool segv_death(int status)
{
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSEGV;
	return WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	       WEXITSTATUS(status) != 42;
}

TEST(mmio_trap, recorder, unknown_instruction_still_faults)
{
	volatile uint8_t *p = map_bar0(0, NULL);
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		/* a vector load cannot be emulated: the fault is fatal */
		asm volatile("movdqu (%0), %%xmm0" : : "r"(p) : "xmm0",
			     "memory");
		_exit(42);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(segv_death(status));
	/* and a fault elsewhere is not ours either */
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		volatile int *bad = mmap(NULL, 4096, PROT_NONE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		(void)*bad;
		_exit(42);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(segv_death(status));
}

TEST(mmio_trap, recorder, decode_off_sigbus)
{
	int devfd;
	volatile uint32_t *regs = (volatile uint32_t *)map_bar0(0, &devfd);
	uint16_t cmd = 0;
	int status;
	pid_t pid;

	ASSERT_EQ(2, uvfio_pwrite(devfd, &cmd, 2,
				  (off_t)(7ll << 40) + 4));
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid)
		_exit((int)regs[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
}

#else

TEST(mmio_trap, recorder, x86_64_only)
{
	SKIP("trapped BAR mappings decode x86-64 instructions only");
}

#endif
