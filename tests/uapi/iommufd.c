// SPDX-License-Identifier: MIT
/*
 * /dev/iommu on its own: object ids, IOMMU_DESTROY, IOMMU_IOAS_ALLOC, the
 * dispatcher's rules for command numbers and argument sizes, and the fops
 * an iommufd does not have.
 *
 * Every check pins what the kernel does, with the source in a comment above
 * it. Sources are drivers/iommu/iommufd/ in torvalds/linux (main.c: the
 * dispatcher iommufd_fops_ioctl, the object table, IOMMU_DESTROY; ioas.c:
 * IOMMU_IOAS_ALLOC; vfio_compat.c: numbers below the table), plus
 * fs/ioctl.c, fs/read_write.c and mm/mmap.c for the generic paths, and
 * docs/reference-kernel-answers.md (B6, B7).
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "harness.h"
#include "vfio_test_util.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* _IOW(';', nr, size) as <asm-generic/ioctl.h> builds it. */
#define TEST_IOW(nr, size)	_IOW(';', nr, char[size])

/* ======================= object ids ======================= */

TEST(iommufd, plain, ids_start_at_1_lowest_free_reused)
{
	int ictx = open_iommufd();
	uint32_t a, b, c, d, e;

	ioas_alloc_ok(ictx, &a);
	ioas_alloc_ok(ictx, &b);
	ioas_alloc_ok(ictx, &c);
	/*
	 * main.c:iommufd_fops_open: xa_init_flags(XA_FLAGS_ALLOC1), so ids
	 * start at 1; main.c:_iommufd_object_alloc: xa_alloc (not cyclic)
	 * takes the lowest free index
	 */
	EXPECT_EQ(1, a);
	EXPECT_EQ(2, b);
	EXPECT_EQ(3, c);
	destroy_ok(ictx, b);
	/* the destroyed id is free again, and the lowest */
	ioas_alloc_ok(ictx, &d);
	EXPECT_EQ(2, d);
	destroy_ok(ictx, a);
	destroy_ok(ictx, c);
	ioas_alloc_ok(ictx, &e);
	EXPECT_EQ(1, e);
	ioas_alloc_ok(ictx, &e);
	EXPECT_EQ(3, e);
}

TEST(iommufd, plain, destroy_missing_enoent)
{
	int ictx = open_iommufd();
	uint32_t ioas;

	/* main.c:iommufd_object_remove: xa_is_zero(obj) || !obj -> -ENOENT */
	destroy_err(ENOENT, ictx, 1);
	/* id 0 is never allocated (XA_FLAGS_ALLOC1) */
	destroy_err(ENOENT, ictx, 0);
	destroy_err(ENOENT, ictx, UINT32_MAX);
	destroy_err(ENOENT, ictx, 0x7fffffff);
	ioas_alloc_ok(ictx, &ioas);
	destroy_ok(ictx, ioas);
	/* a second destroy of the same id */
	destroy_err(ENOENT, ictx, ioas);
}

TEST(iommufd, plain, two_fds_independent_ids)
{
	int ictx_a = open_iommufd();
	int ictx_b = open_iommufd();
	uint32_t a1, a2, b1;

	ioas_alloc_ok(ictx_a, &a1);
	ioas_alloc_ok(ictx_a, &a2);
	/* main.c:iommufd_fops_open: each open file has its own xarray */
	ioas_alloc_ok(ictx_b, &b1);
	EXPECT_EQ(1, a1);
	EXPECT_EQ(2, a2);
	EXPECT_EQ(1, b1);
	/* A's id 2 does not exist in B */
	destroy_err(ENOENT, ictx_b, a2);
	/* destroying B's 1 leaves A's 1 alone */
	destroy_ok(ictx_b, b1);
	destroy_ok(ictx_a, a1);
	destroy_ok(ictx_a, a2);
}

/* ======================= command numbers ======================= */

TEST(iommufd, plain, unknown_cmd_enotty)
{
	int ictx = open_iommufd();
	struct iommu_destroy arg = { .size = sizeof(arg), .id = 1 };
	uint32_t ioas;

	ioas_alloc_ok(ictx, &ioas);
	/*
	 * main.c:iommufd_fops_ioctl: 0x9F is past the table (or, with
	 * CONFIG_IOMMUFD_TEST, an empty slot whose ioctl_num does not match);
	 * both end in -ENOIOCTLCMD, which fs/ioctl.c:vfs_ioctl turns into
	 * -ENOTTY
	 */
	EXPECT_ERRNO(ENOTTY, ioctl(ictx, _IO(';', 0x9f), &arg));
	EXPECT_ERRNO(ENOTTY, ioctl(ictx, _IO(';', 0xff), &arg));
	/* nothing was destroyed by the arg that looked like a DESTROY */
	destroy_ok(ictx, ioas);
}

TEST(iommufd, plain, cmd_below_table_enotty)
{
	int ictx = open_iommufd();
	struct iommu_destroy arg = { .size = sizeof(arg), .id = 1 };

	/*
	 * main.c:iommufd_fops_ioctl: nr < IOMMUFD_CMD_BASE goes to
	 * vfio_compat.c:iommufd_vfio_ioctl, which knows only VFIO numbers
	 * (100..) -> -ENOIOCTLCMD -> ENOTTY
	 */
	EXPECT_ERRNO(ENOTTY, ioctl(ictx, _IO(';', 0x50), &arg));
	EXPECT_ERRNO(ENOTTY, ioctl(ictx, _IO(';', 0x7f), &arg));
}

TEST(iommufd, plain, cmd_with_size_bits_enotty)
{
	int ictx = open_iommufd();
	struct iommu_destroy arg = { .size = sizeof(arg) };
	uint32_t ioas;

	ioas_alloc_ok(ictx, &ioas);
	arg.id = ioas;
	/*
	 * main.c:iommufd_fops_ioctl: the slot for nr 0x80 is IOMMU_DESTROY =
	 * _IO(';', 0x80); op->ioctl_num != cmd -> -ENOIOCTLCMD -> ENOTTY
	 */
	EXPECT_ERRNO(ENOTTY, ioctl(ictx, TEST_IOW(0x80, 8), &arg));
	EXPECT_ERRNO(ENOTTY, ioctl(ictx, _IO('x', 0x80), &arg));
	/* and the IOAS is still there */
	destroy_ok(ictx, ioas);
}

/* ======================= argument sizes, one table ======================= */

/*
 * One row per command: its kernel sizes (main.c:iommufd_ioctl_ops, IOCTL_OP:
 * .size = sizeof(struct), .min_size = offsetofend(last mandatory field)),
 * how to set up a valid call on a fresh iommufd, and what a successful call
 * leaves behind, so that two calls can be compared.
 */
struct size_case {
	const char *name;
	unsigned long cmd;
	uint32_t min_size;
	uint32_t size;
	/* Fills @buf with a valid command (its size field is set later). */
	void (*prepare)(int ictx, void *buf);
	/* After the call succeeded: a summary of its effect. */
	uint64_t (*outcome)(int ictx, const void *buf);
};

static void destroy_prepare(int ictx, void *buf)
{
	struct iommu_destroy *cmd = buf;
	uint32_t ioas;

	ioas_alloc_ok(ictx, &ioas);
	cmd->id = ioas;
}

/* Which id was named, and whether it is gone now. */
static uint64_t destroy_outcome(int ictx, const void *buf)
{
	const struct iommu_destroy *cmd = buf;
	bool gone = _destroy(ictx, cmd->id) == -1 && errno == ENOENT;

	return (uint64_t)cmd->id << 1 | gone;
}

static void ioas_alloc_prepare(int ictx, void *buf)
{
	struct iommu_ioas_alloc *cmd = buf;

	cmd->flags = 0;
	cmd->out_ioas_id = 0;
}

/* Which id came back, and whether it names a live object. */
static uint64_t ioas_alloc_outcome(int ictx, const void *buf)
{
	const struct iommu_ioas_alloc *cmd = buf;
	bool live = _destroy(ictx, cmd->out_ioas_id) == 0;

	return (uint64_t)cmd->out_ioas_id << 1 | live;
}

static const struct size_case size_cases[] = {
	{
		.name = "IOMMU_DESTROY",
		.cmd = IOMMU_DESTROY,
		.min_size = 8,		/* offsetofend(struct iommu_destroy, id) */
		.size = 8,
		.prepare = destroy_prepare,
		.outcome = destroy_outcome,
	},
	{
		.name = "IOMMU_IOAS_ALLOC",
		.cmd = IOMMU_IOAS_ALLOC,
		.min_size = 12,		/* offsetofend(struct iommu_ioas_alloc, out_ioas_id) */
		.size = 12,
		.prepare = ioas_alloc_prepare,
		.outcome = ioas_alloc_outcome,
	},
};

#define TAIL	8
#define BUF_MAX	64

/* A command buffer: aligned, zeroed, with @size in its leading u32. */
union cmd_buf {
	uint8_t bytes[BUF_MAX];
	uint32_t size;
	uint64_t align;
};

/* The outcome of the exact-size call on a fresh iommufd. */
static uint64_t exact_outcome(const struct size_case *c)
{
	int ictx = open_iommufd();
	union cmd_buf buf = {};
	uint64_t out;

	c->prepare(ictx, &buf);
	buf.size = c->size;
	if (ioctl(ictx, c->cmd, &buf)) {
		harness_report("%s: exact size %u: %s", c->name, c->size,
			       strerrorname_np(errno));
		exit(1);
	}
	out = c->outcome(ictx, &buf);
	close(ictx);
	return out;
}

/*
 * Calls @c with @size (and @tail_byte at @tail_at, if @tail_at >= 0),
 * expecting @err; then checks the failed call changed nothing, by making
 * the exact call and comparing it with a fresh iommufd's.
 */
static void size_case_fails(const struct size_case *c, uint32_t size,
			    int tail_at, uint8_t tail_byte, int err)
{
	uint64_t want = exact_outcome(c);
	int ictx = open_iommufd();
	union cmd_buf buf = {};

	c->prepare(ictx, &buf);
	buf.size = size;
	if (tail_at >= 0)
		buf.bytes[tail_at] = tail_byte;
	if (!EXPECT_ERRNO(err, ioctl(ictx, c->cmd, &buf)))
		harness_report("  ...for %s with size %u", c->name, size);

	memset(buf.bytes + c->size, 0, BUF_MAX - c->size);
	buf.size = c->size;
	if (ioctl(ictx, c->cmd, &buf)) {
		harness_report("%s: exact call after the failed one: %s",
			       c->name, strerrorname_np(errno));
		harness_failed = 1;
	} else if (c->outcome(ictx, &buf) != want) {
		harness_report("%s: the failed call (size %u) had an effect",
			       c->name, size);
		harness_failed = 1;
	}
	close(ictx);
}

TEST(iommufd, plain, size_below_min_einval)
{
	for (size_t i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *c = &size_cases[i];

		/* main.c:iommufd_fops_ioctl: user_size < op->min_size -> -EINVAL */
		size_case_fails(c, c->min_size - 1, -1, 0, EINVAL);
		size_case_fails(c, 4, -1, 0, EINVAL);
		size_case_fails(c, 0, -1, 0, EINVAL);
	}
}

TEST(iommufd, plain, size_tail_nonzero_e2big)
{
	for (size_t i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *c = &size_cases[i];

		/*
		 * main.c:iommufd_fops_ioctl: copy_struct_from_user(op->size,
		 * user_size) -> -E2BIG for any non-zero byte past op->size
		 */
		size_case_fails(c, c->size + TAIL, c->size, 0xff, E2BIG);
		size_case_fails(c, c->size + TAIL, c->size + TAIL - 1, 0x01,
				E2BIG);
		/* the selftest's cmd_length: sizeof + 1 with 0xFF */
		size_case_fails(c, c->size + 1, c->size, 0xff, E2BIG);
	}
}

TEST(iommufd, plain, size_tail_zero_same_as_exact)
{
	for (size_t i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *c = &size_cases[i];
		uint64_t want = exact_outcome(c);
		int ictx = open_iommufd();
		union cmd_buf buf = {};

		c->prepare(ictx, &buf);
		buf.size = c->size + TAIL;
		/* include/linux/uaccess.h:copy_struct_from_user: a zero tail is accepted */
		if (ioctl(ictx, c->cmd, &buf)) {
			harness_report("%s with size %u: expected 0, got -1/%s",
				       c->name, c->size + TAIL,
				       strerrorname_np(errno));
			harness_failed = 1;
			close(ictx);
			continue;
		}
		/* and the command does exactly what the exact size does */
		if (!EXPECT_EQ(want, c->outcome(ictx, &buf)))
			harness_report("  ...for %s", c->name);
		/* the size field is not rewritten */
		EXPECT_EQ(c->size + TAIL, buf.size);
		close(ictx);
	}
}

/* ======================= IOAS_ALLOC ======================= */

TEST(iommufd, plain, ioas_alloc_flags_eopnotsupp)
{
	int ictx = open_iommufd();
	struct iommu_ioas_alloc cmd = {
		.size = sizeof(cmd), .flags = 1, .out_ioas_id = 0xaaaaaaaa,
	};
	uint32_t ioas;

	/* ioas.c:iommufd_ioas_alloc_ioctl: cmd->flags -> -EOPNOTSUPP */
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(ictx, IOMMU_IOAS_ALLOC, &cmd));
	cmd.flags = 1u << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(ictx, IOMMU_IOAS_ALLOC, &cmd));
	/* nothing was written back */
	EXPECT_EQ(0xaaaaaaaa, cmd.out_ioas_id);
	/* ...and no id was consumed: the check precedes the allocation */
	ioas_alloc_ok(ictx, &ioas);
	EXPECT_EQ(1, ioas);
}

TEST(iommufd, plain, null_arg_efault)
{
	int ictx = open_iommufd();

	/* main.c:iommufd_fops_ioctl: get_user(ucmd.user_size) -> -EFAULT */
	EXPECT_ERRNO(EFAULT, ioctl(ictx, IOMMU_IOAS_ALLOC, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(ictx, IOMMU_DESTROY, NULL));
	/*
	 * the size is read before the cmd is matched against its slot, so a
	 * mismatched number in the table's range is EFAULT too (B6 step 2)
	 */
	EXPECT_ERRNO(EFAULT, ioctl(ictx, TEST_IOW(0x80, 8), NULL));
}

TEST(iommufd, plain, response_copied_up_to_size)
{
	int ictx = open_iommufd();
	union {
		uint8_t bytes[16];
		struct iommu_ioas_alloc cmd;
	} arg;

	memset(&arg, 0xcc, sizeof(arg));
	arg.cmd.size = 12;
	arg.cmd.flags = 0;
	arg.cmd.out_ioas_id = 0;
	/*
	 * iommufd_private.h:iommufd_ucmd_respond copies min(user_size,
	 * sizeof) bytes: size 12 works and bytes 12.. are untouched
	 */
	ASSERT_OK(ioctl(ictx, IOMMU_IOAS_ALLOC, &arg));
	EXPECT_EQ(1, arg.cmd.out_ioas_id);
	EXPECT_EQ(12, arg.cmd.size);
	EXPECT_EQ(0, arg.cmd.flags);
	for (int i = 12; i < 16; i++)
		EXPECT_EQ(0xcc, arg.bytes[i]);
	destroy_ok(ictx, arg.cmd.out_ioas_id);
}

/* ======================= fops an iommufd lacks ======================= */

TEST(iommufd, plain, read_write_einval)
{
	int ictx = open_iommufd();
	uint8_t buf[8] = { 0 };

	/*
	 * main.c:iommufd_fops has no .read/.write, so the open file lacks
	 * FMODE_CAN_READ/WRITE: fs/read_write.c:vfs_read/vfs_write -> -EINVAL,
	 * whatever the count
	 */
	EXPECT_ERRNO(EINVAL, read(ictx, buf, sizeof(buf)));
	EXPECT_ERRNO(EINVAL, read(ictx, buf, 0));
	EXPECT_ERRNO(EINVAL, write(ictx, buf, sizeof(buf)));
	EXPECT_ERRNO(EINVAL, write(ictx, buf, 0));
	EXPECT_ERRNO(EINVAL, pread(ictx, buf, sizeof(buf), 0));
	EXPECT_ERRNO(EINVAL, pwrite(ictx, buf, sizeof(buf), 0));
}

TEST(iommufd, plain, mmap_no_region_enodev_or_enxio)
{
	int ictx = open_iommufd();
	void *p;

	errno = 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ictx, 0);
	/*
	 * Version-dependent: before Linux 6.17 main.c:iommufd_fops has no
	 * .mmap, so mm/mmap.c:do_mmap -> -ENODEV; since 6.17 ("iommufd: Add
	 * mmap interface") main.c:iommufd_fops_mmap finds no region
	 * registered at offset 0 in ictx->mt_mmap -> -ENXIO. Either is a
	 * kernel's answer; a mapping or any other errno is not.
	 */
	if (p != MAP_FAILED) {
		harness_report("mmap(/dev/iommu): got a mapping");
		harness_failed = 1;
		munmap(p, 4096);
	} else if (errno != ENODEV && errno != ENXIO) {
		harness_report("mmap(/dev/iommu): expected ENODEV or ENXIO, got %s",
			       strerrorname_np(errno));
		harness_failed = 1;
	}
}
