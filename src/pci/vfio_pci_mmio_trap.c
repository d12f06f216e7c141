// SPDX-License-Identifier: MIT
/*
 * mmap of a trapped BAR (UVFIO_BAR_MMAP_TRAP): the mapping a client gets
 * is inaccessible memory, and every load or store it makes through it
 * faults; the SIGSEGV handler here decodes the faulting instruction,
 * performs the access on the model (bar_read/bar_write, as a pread/pwrite
 * would) and resumes after the instruction. So a register BAR, whose reads
 * have side effects, can be mapped as on a real host, where vfio-pci maps
 * BAR pages straight to the device.
 *
 * Only x86-64, and only the instructions compilers emit for a volatile
 * access of 1, 2, 4 or 8 bytes: MOV to and from a general register
 * (88/89/8A/8B), MOV of an immediate (C6/C7), MOVZX/MOVSX (0F B6/B7/BE/BF),
 * with 66 and REX prefixes and any ModRM addressing. Anything else (string
 * instructions, vector loads from a memcpy) is reported on stderr and the
 * fault goes on to the previous handler, or kills the process as it would
 * have. Faults outside the mappings go to the previous handler untouched.
 *
 * A program that installs its own SIGSEGV handler after mapping replaces
 * this one; munmap is not seen, so a range stays registered until a new
 * mapping reuses its slot. Both are documented limits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "vfio_pci_core.h"

#define MMIO_TRAP_SLOTS	64

/* One mapping: published with a release store of @len, read in the handler. */
struct mmio_trap {
	uintptr_t start;
	size_t len;			/* 0: free */
	u64 bar_off;			/* BAR offset of @start */
	struct vfio_pci_core_device *vdev;
	int bar;
};

static struct mmio_trap mmio_traps[MMIO_TRAP_SLOTS];
static pthread_mutex_t mmio_trap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction mmio_old_segv;	/* mmio_trap_lock, then read-only */
static bool mmio_handler_installed;	/* mmio_trap_lock */

static struct mmio_trap *mmio_trap_find(uintptr_t addr)
{
	for (int i = 0; i < MMIO_TRAP_SLOTS; i++) {
		struct mmio_trap *t = &mmio_traps[i];
		size_t len = __atomic_load_n(&t->len, __ATOMIC_ACQUIRE);

		if (len && addr >= t->start && addr - t->start < len)
			return t;
	}
	return NULL;
}

/* ------------------------------------------------------------- decode */

/* x86 register number (REX.B/R included) to its ucontext slot. */
static const int mmio_greg[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
	REG_RDI, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13,
	REG_R14, REG_R15,
};

struct mmio_insn {
	unsigned int len;	/* bytes, to skip */
	unsigned int size;	/* access size */
	bool store;
	bool has_imm;
	u64 imm;
	int reg;		/* x86 number; -1 for an immediate store */
	bool high_byte;		/* AH..BH */
	int extend;		/* 0: plain, 1: zero-extend, 2: sign-extend */
};

/* Length of ModRM + SIB + displacement at @p; -1 if unsupported. */
static int mmio_modrm_len(const u8 *p, int *reg)
{
	u8 modrm = p[0], mod = modrm >> 6, rm = modrm & 7;
	int len = 1;

	*reg = (modrm >> 3) & 7;
	if (mod == 3)
		return -1;	/* a register operand cannot fault */
	if (rm == 4) {
		u8 sib = p[1];

		len++;
		if (mod == 0 && (sib & 7) == 5)
			len += 4;
	} else if (mod == 0 && rm == 5) {
		len += 4;	/* RIP-relative */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len;
}

static int mmio_decode(const u8 *ip, struct mmio_insn *in)
{
	bool opsize16 = false, rex_w = false, rex = false;
	unsigned int n = 0, rex_r = 0;
	int mlen, reg;
	u8 op;

	memset(in, 0, sizeof(*in));
	for (;; n++) {
		if (n > 4)
			return -1;
		if (ip[n] == 0x66)
			opsize16 = true;
		else if (ip[n] == 0x2e || ip[n] == 0x3e || ip[n] == 0x26 ||
			 ip[n] == 0x36 || ip[n] == 0x64 || ip[n] == 0x65)
			continue;	/* segment overrides */
		else
			break;
	}
	if ((ip[n] & 0xf0) == 0x40) {
		rex = true;
		rex_w = ip[n] & 8;
		rex_r = (ip[n] & 4) ? 8 : 0;
		n++;
	}
	op = ip[n++];
	in->size = rex_w ? 8 : opsize16 ? 2 : 4;
	switch (op) {
	case 0x88:	/* mov r/m8, r8 */
	case 0x8a:	/* mov r8, r/m8 */
		in->size = 1;
		/* fallthrough */
	case 0x89:	/* mov r/m, r */
	case 0x8b:	/* mov r, r/m */
		in->store = op == 0x88 || op == 0x89;
		mlen = mmio_modrm_len(ip + n, &reg);
		if (mlen < 0)
			return -1;
		in->reg = reg | (int)rex_r;
		in->high_byte = in->size == 1 && !rex && reg >= 4;
		if (in->high_byte)
			in->reg = reg - 4;
		n += (unsigned int)mlen;
		break;
	case 0xc6:	/* mov r/m8, imm8 */
	case 0xc7:	/* mov r/m, imm16/32 */
		mlen = mmio_modrm_len(ip + n, &reg);
		if (mlen < 0 || reg != 0)
			return -1;
		n += (unsigned int)mlen;
		in->store = true;
		in->has_imm = true;
		in->reg = -1;
		if (op == 0xc6) {
			in->size = 1;
			in->imm = ip[n];
			n += 1;
		} else if (in->size == 2) {
			in->imm = (u64)ip[n] | (u64)ip[n + 1] << 8;
			n += 2;
		} else {
			s32 imm;

			memcpy(&imm, ip + n, 4);
			in->imm = (u64)(s64)imm;	/* sign-extended to 64 */
			n += 4;
		}
		break;
	case 0x0f:
		op = ip[n++];
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
			return -1;
		mlen = mmio_modrm_len(ip + n, &reg);
		if (mlen < 0)
			return -1;
		in->extend = (op == 0xb6 || op == 0xb7) ? 1 : 2;
		in->reg = reg | (int)rex_r;
		/* the destination width, kept in imm for write-back */
		in->imm = rex_w ? 8 : opsize16 ? 2 : 4;
		in->size = (op == 0xb6 || op == 0xbe) ? 1 : 2;
		n += (unsigned int)mlen;
		break;
	default:
		return -1;
	}
	in->len = n;
	return 0;
}

/* Writes a loaded @val into the destination register, as the CPU would. */
static void mmio_set_reg(ucontext_t *uc, const struct mmio_insn *in, u64 val)
{
	greg_t *r = &uc->uc_mcontext.gregs[mmio_greg[in->reg]];
	unsigned int width = in->extend ? (unsigned int)in->imm : in->size;
	u64 old = (u64)*r;

	if (in->extend == 2)
		val = in->size == 1 ? (u64)(s64)(int8_t)val : (u64)(s64)(int16_t)val;
	switch (width) {
	case 1:
		if (in->high_byte)
			*r = (greg_t)((old & ~0xff00ull) | (val & 0xff) << 8);
		else
			*r = (greg_t)((old & ~0xffull) | (val & 0xff));
		break;
	case 2:
		*r = (greg_t)((old & ~0xffffull) | (val & 0xffff));
		break;
	case 4:
		*r = (greg_t)(u32)val;	/* a 32-bit write zero-extends */
		break;
	default:
		*r = (greg_t)val;
		break;
	}
}

static u64 mmio_get_reg(ucontext_t *uc, const struct mmio_insn *in)
{
	u64 v;

	if (in->has_imm)
		return in->imm;
	v = (u64)uc->uc_mcontext.gregs[mmio_greg[in->reg]];
	return in->high_byte ? v >> 8 : v;
}

/* ------------------------------------------------------------ handler */

static void mmio_say(const char *msg)
{
	(void)!write(2, msg, strlen(msg));
}

/* Hands the fault on as if we had never been there. */
static void mmio_chain(int sig, siginfo_t *si, void *ctx)
{
	const struct sigaction *old = &mmio_old_segv;

	if (old->sa_flags & SA_SIGINFO) {
		old->sa_sigaction(sig, si, ctx);
	} else if (old->sa_handler == SIG_IGN || old->sa_handler == SIG_DFL) {
		/* Return with the default: the access faults again, fatally. */
		signal(sig, SIG_DFL);
	} else {
		old->sa_handler(sig);
	}
}

static void mmio_segv_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uintptr_t addr = (uintptr_t)si->si_addr;
	struct mmio_trap *t = mmio_trap_find(addr);
	struct vfio_pci_core_device *vdev;
	const struct uvfio_device_model *model;
	struct mmio_insn in;
	u64 off, val;
	int saved_errno = errno;

	if (!t) {
		mmio_chain(sig, si, ctx);
		return;
	}
	if (mmio_decode((const u8 *)uc->uc_mcontext.gregs[REG_RIP], &in)) {
		mmio_say("uvfio: cannot emulate this access to a trapped BAR "
			 "mapping (not a plain MOV)\n");
		mmio_chain(sig, si, ctx);
		return;
	}
	vdev = t->vdev;
	model = vdev->model;
	off = t->bar_off + (addr - t->start);
	/* Decode off: the kernel's fault handler raises SIGBUS. */
	if (!vfio_pci_memory_enabled(vdev)) {
		signal(SIGBUS, SIG_DFL);
		raise(SIGBUS);
		errno = saved_errno;
		return;
	}
	pthread_mutex_lock(&vdev->state_lock);
	if (in.store) {
		val = mmio_get_reg(uc, &in);
		if (model->bar_write)
			model->bar_write(pci_to_uvfio(vdev), t->bar, off, val,
					 in.size);
	} else {
		val = model->bar_read ?
			model->bar_read(pci_to_uvfio(vdev), t->bar, off,
					in.size) : ~0ULL;
		mmio_set_reg(uc, &in, val);
	}
	pthread_mutex_unlock(&vdev->state_lock);
	uc->uc_mcontext.gregs[REG_RIP] += in.len;
	errno = saved_errno;
}

/* Installs the handler once; caller holds mmio_trap_lock. */
static int __mmio_trap_install(void)
{
	struct sigaction sa;

	if (mmio_handler_installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = mmio_segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &mmio_old_segv))
		return -errno;
	mmio_handler_installed = true;
	return 0;
}

/*
 * Maps [@req_start, + vma->len) of trapped BAR @bar for a client: an
 * inaccessible mapping whose faults the handler above serves.
 */
int vfio_pci_mmio_trap_mmap(struct vfio_pci_core_device *vdev, int bar,
			    u64 req_start, struct uvfio_vma *vma)
{
	struct mmio_trap *t = NULL;
	void *addr;
	int ret;

	pthread_mutex_lock(&mmio_trap_lock);
	ret = __mmio_trap_install();
	if (ret)
		goto out_unlock;
	addr = mmap(vma->addr, vma->len, PROT_NONE,
		    (vma->flags & ~MAP_TYPE) | MAP_SHARED | MAP_ANONYMOUS |
		    MAP_NORESERVE, -1, 0);
	if (addr == MAP_FAILED) {
		ret = -errno;
		goto out_unlock;
	}
	/* A free slot, or one whose range this mapping replaced. */
	for (int i = 0; i < MMIO_TRAP_SLOTS && !t; i++) {
		struct mmio_trap *s = &mmio_traps[i];

		if (!s->len || ((uintptr_t)addr < s->start + s->len &&
				s->start < (uintptr_t)addr + vma->len))
			t = s;
	}
	if (!t) {
		munmap(addr, vma->len);
		ret = -ENOMEM;
		goto out_unlock;
	}
	__atomic_store_n(&t->len, 0, __ATOMIC_RELEASE);
	t->start = (uintptr_t)addr;
	t->bar_off = req_start;
	t->vdev = vdev;
	t->bar = bar;
	/* Paired with the acquire load in mmio_trap_find(). */
	__atomic_store_n(&t->len, vma->len, __ATOMIC_RELEASE);
	vma->addr = addr;
out_unlock:
	pthread_mutex_unlock(&mmio_trap_lock);
	return ret;
}
