// SPDX-License-Identifier: MIT
/*
 * The io_pagetable against a reference model: 1e5 random map (fixed and
 * automatic IOVA), unmap, copy, cut and translate operations on two tables,
 * each checked step by step against a sorted list that implements the same
 * kernel rules in the most obvious way. Every result (return value, chosen
 * IOVA, bytes unmapped) and, every few hundred steps, the whole area list
 * must be identical.
 *
 * The rules the model encodes (drivers/iommu/iommufd/io_pagetable.c):
 *  - a fixed map that touches a reserved range is EINVAL, one that overlaps
 *    an area EEXIST (iopt_check_iova(), reserved first);
 *  - an automatic IOVA is the lowest fit from PAGE_SIZE up, inside the
 *    allowed windows if there are any (else ENOSPC), aligned to
 *    min(roundup_pow_of_two(length), lowest set bit of the user address)
 *    (iopt_alloc_iova());
 *  - unmap removes the areas inside the range from the bottom and stops
 *    with ENOENT at the first one only partly inside, keeping what it has
 *    removed (iopt_unmap_iova_range());
 *  - copy needs the source covered without holes (ENOENT), and a
 *    WRITEABLE copy of memory first mapped read-only is EPERM
 *    (iopt_get_pages(), iopt_insert_area()).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "iommufd/io_pagetable.h"

#define PG		4096ULL
#define SPACE_PAGES	1024ULL		/* IOVAs live in [0, 4 MiB) */
#define RES_START	(512 * PG)	/* one reserved range in the middle */
#define RES_LAST	(528 * PG - 1)
#define STEPS		100000
#define MAX_AREAS	4096

struct marea {
	u64 iova, last;
	uintptr_t uva;		/* client address of iova */
	int prot;
	bool writable;		/* the memory was first mapped WRITE */
};

struct model {
	struct marea a[MAX_AREAS];
	int n;
	/* The allowed windows for automatic IOVAs (none: everything). */
	struct { u64 start, last; } win[2];
	int nwin;
};

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	/* xorshift64*: reproducible across runs. */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 2685821657736338717ULL;
}

static u64 rnd_range(u64 n)
{
	return rnd() % n;
}

static void model_insert(struct model *m, struct marea x)
{
	int i = m->n;

	while (i > 0 && m->a[i - 1].iova > x.iova) {
		m->a[i] = m->a[i - 1];
		i--;
	}
	m->a[i] = x;
	m->n++;
}

static void model_remove(struct model *m, int i)
{
	for (; i < m->n - 1; i++)
		m->a[i] = m->a[i + 1];
	m->n--;
}

static bool overlaps(u64 s1, u64 l1, u64 s2, u64 l2)
{
	return s1 <= l2 && s2 <= l1;
}

static bool model_busy(const struct model *m, u64 s, u64 l)
{
	for (int i = 0; i < m->n; i++)
		if (overlaps(s, l, m->a[i].iova, m->a[i].last))
			return true;
	return false;
}

/*
 * Lowest fit in [lo, hi] at or above PAGE_SIZE, between the areas and the
 * reserved range.
 */
static int model_alloc_in(const struct model *m, u64 lo, u64 hi, u64 align,
			  u64 off, u64 len, u64 *out)
{
	u64 cur = lo;

	/* Candidate starts: lo and just past every blocker. */
	for (;;) {
		u64 s = ((cur + align - 1) & ~(align - 1)) | off;
		u64 next = 0;
		bool blocked = false;

		if (s < cur || s > hi || hi - s < len - 1)
			return -ENOSPC;
		for (int i = 0; i < m->n; i++) {
			if (overlaps(s, s + len - 1, m->a[i].iova,
				     m->a[i].last)) {
				blocked = true;
				if (m->a[i].last + 1 > next)
					next = m->a[i].last + 1;
			}
		}
		if (overlaps(s, s + len - 1, RES_START, RES_LAST)) {
			blocked = true;
			if (RES_LAST + 1 > next)
				next = RES_LAST + 1;
		}
		if (!blocked) {
			*out = s;
			return 0;
		}
		cur = next;
	}
}

static int model_alloc(const struct model *m, uintptr_t uptr, u64 len,
		       u64 *out)
{
	u64 align = 1, off = uptr % PG;

	while (align < len)
		align <<= 1;
	if (uptr && (1ULL << __builtin_ctzll(uptr)) < align)
		align = 1ULL << __builtin_ctzll(uptr);
	if (!m->nwin)
		return model_alloc_in(m, PG, ~0ULL - PG, align, off, len, out);
	for (int w = 0; w < m->nwin; w++) {
		u64 lo = m->win[w].start < PG ? PG : m->win[w].start;

		if (!model_alloc_in(m, lo, m->win[w].last, align, off, len, out))
			return 0;
	}
	return -ENOSPC;
}

static int model_unmap(struct model *m, u64 iova, u64 len, u64 *unmapped)
{
	u64 last = iova + len - 1;

	*unmapped = 0;
	for (int i = 0; i < m->n;) {
		if (!overlaps(iova, last, m->a[i].iova, m->a[i].last)) {
			i++;
			continue;
		}
		if (m->a[i].iova < iova || m->a[i].last > last)
			return -ENOENT;
		*unmapped += m->a[i].last - m->a[i].iova + 1;
		model_remove(m, i);
	}
	return 0;
}

/* The pieces of [iova, iova + len) in the model, or -ENOENT. */
static int model_pieces(const struct model *m, u64 iova, u64 len,
			struct marea *out, int *n)
{
	u64 cur = iova, last = iova + len - 1;

	*n = 0;
	for (int i = 0; i < m->n; i++) {
		if (m->a[i].last < cur)
			continue;
		if (m->a[i].iova > cur)
			return -ENOENT;
		out[*n] = m->a[i];
		out[*n].iova = cur;
		out[*n].uva = m->a[i].uva + (cur - m->a[i].iova);
		out[*n].last = m->a[i].last < last ? m->a[i].last : last;
		(*n)++;
		if (m->a[i].last >= last)
			return 0;
		cur = m->a[i].last + 1;
	}
	return -ENOENT;
}

static int model_copy(struct model *dst, u64 *dst_iova, const struct model *src,
		      u64 src_iova, u64 len, int prot, bool fixed)
{
	struct marea pieces[64];
	int n, rc;
	u64 cur;

	rc = model_pieces(src, src_iova, len, pieces, &n);
	if (rc)
		return rc;
	if (fixed) {
		if (overlaps(*dst_iova, *dst_iova + len - 1, RES_START,
			     RES_LAST))
			return -EINVAL;
		if (model_busy(dst, *dst_iova, *dst_iova + len - 1))
			return -EEXIST;
	} else {
		rc = model_alloc(dst, pieces[0].uva, len, dst_iova);
		if (rc)
			return rc;
	}
	for (int i = 0; i < n; i++)
		if ((prot & IOPT_WRITE) && !pieces[i].writable)
			return -EPERM;
	cur = *dst_iova;
	for (int i = 0; i < n; i++) {
		struct marea x = pieces[i];
		u64 plen = x.last - x.iova + 1;

		x.iova = cur;
		x.last = cur + plen - 1;
		x.prot = prot;
		model_insert(dst, x);
		cur += plen;
	}
	return 0;
}

static void model_cut(struct model *m, u64 iova)
{
	for (int i = 0; i < m->n; i++) {
		struct marea rhs = m->a[i];

		if (iova <= m->a[i].iova || iova >= m->a[i].last)
			continue;
		rhs.iova = iova + 1;
		rhs.uva = m->a[i].uva + (iova + 1 - m->a[i].iova);
		m->a[i].last = iova;
		model_insert(m, rhs);
		return;
	}
}

/* The whole table, in order, must equal the model. */
static void check_same(struct io_pagetable *iopt, const struct model *m,
		       long step)
{
	struct iopt_area *area;
	int i = 0;

	iopt_read_lock(iopt);
	for (area = __iopt_area_first(iopt, 0, ~0ULL); area;
	     area = __iopt_area_next(iopt, area), i++) {
		if (i >= m->n || area->iova != m->a[i].iova ||
		    area->last != m->a[i].last ||
		    iopt_area_uva(area, area->iova) != m->a[i].uva ||
		    area->prot != m->a[i].prot) {
			harness_report("step %ld: area %d differs: [0x%llx, 0x%llx] vs model [0x%llx, 0x%llx]",
				       step, i, (unsigned long long)area->iova,
				       (unsigned long long)area->last,
				       i < m->n ? (unsigned long long)m->a[i].iova : 0ULL,
				       i < m->n ? (unsigned long long)m->a[i].last : 0ULL);
			exit(1);
		}
	}
	iopt_read_unlock(iopt);
	ASSERT_EQ(m->n, i);
	ASSERT_EQ(m->n, (long)iopt->nr_areas);
}

/* How often each operation ended how: evidence that every path ran. */
static long stats[5][5];	/* [op][0 ok, 1 EEXIST/EPERM, 2 EINVAL, 3 ENOENT, 4 ENOSPC] */

static void count(int op, int rc)
{
	int k = !rc ? 0 : rc == -EEXIST || rc == -EPERM ? 1 :
		rc == -EINVAL ? 2 : rc == -ENOENT ? 3 : 4;

	stats[op][k]++;
}

#define SAME(step, what, expect, got)					\
	do {								\
		if ((long long)(expect) != (long long)(got)) {		\
			harness_report("step %ld: %s: model %lld, iopt %lld", \
				       (long)(step), what,		\
				       (long long)(expect), (long long)(got)); \
			exit(1);					\
		}							\
	} while (0)

TEST(iopt, model, random_ops_match_sorted_list)
{
	static struct model models[2];
	struct io_pagetable iopts[2];
	uintptr_t next_uva = 0x100000000ULL;

	for (int t = 0; t < 2; t++) {
		iopt_init_table(&iopts[t], IOPT_PAGES_ACCOUNT_NONE);
		ASSERT_EQ(0, iopt_reserve_iova(&iopts[t], RES_START, RES_LAST,
					       &models[t]));
	}
	/* Table 1 allocates only inside two windows, so it runs out (ENOSPC). */
	{
		struct iopt_range allowed[2] = {
			{ .start = 0, .last = 96 * PG - 1 },
			{ .start = 600 * PG, .last = 700 * PG - 1 },
		};

		ASSERT_EQ(0, iopt_set_allow_iova(&iopts[1], allowed, 2));
		for (int w = 0; w < 2; w++) {
			models[1].win[w].start = allowed[w].start;
			models[1].win[w].last = allowed[w].last;
		}
		models[1].nwin = 2;
	}

	for (long step = 0; step < STEPS; step++) {
		int t = (int)rnd_range(2), op = (int)rnd_range(100);
		struct io_pagetable *iopt = &iopts[t];
		struct model *m = &models[t];
		u64 len = (1 + rnd_range(8)) * PG;
		u64 iova = rnd_range(SPACE_PAGES) * PG;
		int prot = 1 + (int)rnd_range(3);

		if (m->n > MAX_AREAS - 64)
			op = 40;	/* keep the model's array from filling */

		if (op < 30) {
			/* map: fixed or automatic; some user addresses odd-aligned */
			bool fixed = rnd_range(2);
			uintptr_t uva = next_uva + rnd_range(4) * PG;
			u64 want = iova, got = iova;
			int expect, rc;

			next_uva += 64 * PG;
			if (fixed) {
				expect = overlaps(iova, iova + len - 1,
						  RES_START, RES_LAST) ? -EINVAL :
					 model_busy(m, iova, iova + len - 1) ?
							 -EEXIST : 0;
			} else {
				expect = model_alloc(m, uva, len, &want);
			}
			rc = iopt_map_user_pages(iopt, &got, uva, len, prot,
						 fixed ? 0 : IOPT_ALLOC_IOVA);
			SAME(step, "map rc", expect, rc);
			count(fixed ? 0 : 1, rc);
			if (!rc) {
				SAME(step, "map iova", want, got);
				model_insert(m, (struct marea){
					.iova = got, .last = got + len - 1,
					.uva = uva, .prot = prot,
					.writable = prot & IOPT_WRITE });
			}
		} else if (op < 60) {
			/* unmap: sometimes exactly an area, sometimes random */
			u64 ulen = (1 + rnd_range(24)) * PG, expect_bytes, got;
			int expect, rc;

			if (m->n && rnd_range(2)) {
				struct marea *a = &m->a[rnd_range(m->n)];

				iova = a->iova;
				ulen = a->last - a->iova + 1;
			}
			expect = model_unmap(m, iova, ulen, &expect_bytes);
			rc = iopt_unmap_iova(iopt, iova, ulen, &got);
			SAME(step, "unmap rc", expect, rc);
			count(2, rc ? rc : got ? 0 : -ENOSPC);
			SAME(step, "unmap bytes", expect_bytes, got);
		} else if (op < 80) {
			/* copy from either table into this one */
			int s = (int)rnd_range(2);
			bool fixed = rnd_range(2);
			u64 src = iova, dst = rnd_range(SPACE_PAGES) * PG;
			u64 want = dst, got = dst;
			int expect, rc;

			if (models[s].n && rnd_range(4)) {
				struct marea *a = &models[s].a[
					rnd_range(models[s].n)];

				src = a->iova + rnd_range((a->last - a->iova + 1) / PG) * PG;
			}
			expect = model_copy(m, &want, &models[s], src, len,
					    prot, fixed);
			rc = iopt_copy_iova(iopt, &got, &iopts[s], src, len,
					    prot, fixed ? 0 : IOPT_ALLOC_IOVA);
			SAME(step, "copy rc", expect, rc);
			count(3, rc);
			if (!rc)
				SAME(step, "copy iova", want, got);
		} else if (op < 85) {
			/* cut, as the type1 v1 unmap does */
			u64 at = iova + rnd_range(4) * PG + PG - 1;

			model_cut(m, at);
			SAME(step, "cut rc", 0, iopt_cut_iova(iopt, &at, 1));
		} else {
			/* translate one byte */
			u64 probe = iova + rnd_range(PG);
			struct iopt_area *area;
			uintptr_t expect = 0, got = 0;

			for (int i = 0; i < m->n; i++)
				if (probe >= m->a[i].iova &&
				    probe <= m->a[i].last)
					expect = m->a[i].uva +
						 (probe - m->a[i].iova);
			iopt_read_lock(iopt);
			area = __iopt_area_find(iopt, probe);
			if (area)
				got = iopt_area_uva(area, probe);
			iopt_read_unlock(iopt);
			SAME(step, "translate", expect, got);
		}
		if (step % 500 == 0)
			check_same(iopt, m, step);
	}
	printf("# ok/EEXIST|EPERM/EINVAL/ENOENT/ENOSPC|other: fixed map %ld/%ld/%ld/%ld/%ld, auto map %ld/%ld/%ld/%ld/%ld, unmap (ENOSPC = 0 bytes) %ld/%ld/%ld/%ld/%ld, copy %ld/%ld/%ld/%ld/%ld\n",
	       stats[0][0], stats[0][1], stats[0][2], stats[0][3], stats[0][4],
	       stats[1][0], stats[1][1], stats[1][2], stats[1][3], stats[1][4],
	       stats[2][0], stats[2][1], stats[2][2], stats[2][3], stats[2][4],
	       stats[3][0], stats[3][1], stats[3][2], stats[3][3], stats[3][4]);
	/* Each outcome the kernel rules allow happened at least once. */
	EXPECT_TRUE(stats[0][0] && stats[0][1] && stats[0][2]);
	EXPECT_TRUE(stats[1][0] && stats[1][4]);
	EXPECT_TRUE(stats[2][0] && stats[2][3] && stats[2][4]);
	EXPECT_TRUE(stats[3][0] && stats[3][1] && stats[3][2] && stats[3][3]);
	for (int t = 0; t < 2; t++) {
		u64 bytes;

		check_same(&iopts[t], &models[t], STEPS);
		ASSERT_EQ(0, iopt_unmap_all(&iopts[t], &bytes));
		ASSERT_EQ(0, (long)iopts[t].nr_areas);
		iopt_remove_reserved_iova(&iopts[t], &models[t]);
		iopt_destroy_table(&iopts[t]);
	}
}

/* The same engine, at scale: n mappings, then every one found and removed. */
TEST(iopt, model, hundred_thousand_areas_balanced)
{
	struct io_pagetable iopt;
	const u64 n = 100000;
	u64 bytes;

	iopt_init_table(&iopt, IOPT_PAGES_ACCOUNT_NONE);
	/* Insert in a scrambled order, so the tree must rebalance. */
	for (u64 i = 0; i < n; i++) {
		u64 k = (i * 7919) % n, iova = (k + 1) * 2 * PG;

		ASSERT_EQ(0, iopt_map_user_pages(&iopt, &iova, 0x10000000 + k * PG,
						 PG, IOPT_READ, 0));
	}
	/* An AVL tree of n nodes is at most 1.44 log2(n) high. */
	ASSERT_TRUE(iopt.root->height <= 25);
	for (u64 k = 0; k < n; k += 997) {
		struct iopt_area *area;

		iopt_read_lock(&iopt);
		area = __iopt_area_find(&iopt, (k + 1) * 2 * PG + 5);
		ASSERT_TRUE(area != NULL);
		ASSERT_EQ(0x10000000 + k * PG + 5,
			  iopt_area_uva(area, (k + 1) * 2 * PG + 5));
		iopt_read_unlock(&iopt);
	}
	ASSERT_EQ(0, iopt_unmap_all(&iopt, &bytes));
	ASSERT_EQ(n * PG, bytes);
	iopt_destroy_table(&iopt);
}
