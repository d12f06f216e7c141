// SPDX-License-Identifier: MIT
/*
 * vfio-pci interrupts for QEMU's edu: GET_IRQ_INFO and SET_IRQS, checked
 * in the kernel's order (vfio_set_irqs_validate_and_prepare() in
 * drivers/vfio/vfio_main.c, then drivers/vfio/pci/vfio_pci_intrs.c), and
 * delivery to the client's eventfds, raised by edu's 0x60 register
 * (docs/reference-kernel-answers.md A3, A7).
 */
#include "pci_test_util.h"

#define INTX	VFIO_PCI_INTX_IRQ_INDEX
#define MSI	VFIO_PCI_MSI_IRQ_INDEX
#define MSIX	VFIO_PCI_MSIX_IRQ_INDEX
#define ERR	VFIO_PCI_ERR_IRQ_INDEX
#define REQ	VFIO_PCI_REQ_IRQ_INDEX
#define TRIGGER	VFIO_IRQ_SET_ACTION_TRIGGER
#define MASK	VFIO_IRQ_SET_ACTION_MASK
#define UNMASK	VFIO_IRQ_SET_ACTION_UNMASK

/* edu: raise interrupt status bits (0x60) and acknowledge them (0x64). */
static void edu_raise(int fd, uint32_t bits)
{
	bar_wr32(fd, 0, 0x60, bits);
}

static void edu_ack(int fd, uint32_t bits)
{
	bar_wr32(fd, 0, 0x64, bits);
}

TEST(irq_info, edu, table_matches_host)
{
	struct pci_dev d = pci_open();
	struct vfio_irq_info info;

	/* vfio_pci_ioctl_get_irq_info() [obs 6.1 A3] */
	ASSERT_OK(irq_info(d.devfd, INTX, &info));
	EXPECT_EQ(0x7, info.flags);
	EXPECT_EQ(1, info.count);
	ASSERT_OK(irq_info(d.devfd, MSI, &info));
	EXPECT_EQ(0x9, info.flags);
	EXPECT_EQ(1, info.count);
	/* no MSI-X capability: still success, count 0 */
	ASSERT_OK(irq_info(d.devfd, MSIX, &info));
	EXPECT_EQ(0x9, info.flags);
	EXPECT_EQ(0, info.count);
	/* ERR only on PCI Express */
	EXPECT_ERRNO(EINVAL, irq_info(d.devfd, ERR, &info));
	ASSERT_OK(irq_info(d.devfd, REQ, &info));
	EXPECT_EQ(0x9, info.flags);
	EXPECT_EQ(1, info.count);
	EXPECT_ERRNO(EINVAL, irq_info(d.devfd, 5, &info));
	EXPECT_ERRNO(EINVAL, irq_info(d.devfd, 6, &info));
}

TEST(irq_info, edu, argsz_rules)
{
	struct pci_dev d = pci_open();
	struct {
		struct vfio_irq_info info;
		uint8_t tail[48];
	} big;

	memset(&big, 0xaa, sizeof(big));
	big.info.argsz = sizeof(big);
	big.info.index = MSI;
	/* argsz is echoed, only 16 bytes written [obs 6.1 A3] */
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_IRQ_INFO, &big));
	EXPECT_EQ(sizeof(big), big.info.argsz);
	EXPECT_EQ(0xaa, big.tail[0]);
	big.info.argsz = 15;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_GET_IRQ_INFO, &big));
}

TEST(set_irqs, edu, validation_einval_in_order)
{
	struct pci_dev d = pci_open();
	struct vfio_irq_set s = {
		.argsz = sizeof(s), .index = MSI, .start = 0, .count = 1,
		.flags = VFIO_IRQ_SET_DATA_NONE | TRIGGER,
	};
	int32_t fds[2] = { -1, -1 };

	/* argsz < offsetofend(count) */
	s.argsz = 19;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_SET_IRQS, &s));
	s.argsz = sizeof(s);
	/* index >= VFIO_PCI_NUM_IRQS */
	s.index = 5;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_SET_IRQS, &s));
	s.index = MSI;
	/* count >= U32_MAX - start */
	s.start = 1;
	s.count = UINT32_MAX - 1;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_SET_IRQS, &s));
	s.start = 0;
	s.count = 1;
	/* an unknown flag bit */
	s.flags |= 1u << 6;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_SET_IRQS, &s));
	/* start/count beyond the index's count (MSI: 1) */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, MSI, 1, 0));
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, MSI, 0, 2));
	/* no MSI-X on edu: start 0 >= count 0 */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, MSIX, 0, 0));
	/* ERR on conventional PCI: count 0 [obs 6.1 A7] */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, ERR, 0, 0));
	/* not exactly one data type */
	EXPECT_ERRNO(EINVAL, set_irqs(d.devfd, VFIO_IRQ_SET_DATA_NONE |
				      VFIO_IRQ_SET_DATA_BOOL | TRIGGER, MSI,
				      0, 1, fds, 1));
	EXPECT_ERRNO(EINVAL, set_irqs(d.devfd, TRIGGER, MSI, 0, 1, NULL, 0));
	/* argsz too small for count elements of data */
	s.flags = VFIO_IRQ_SET_DATA_EVENTFD | TRIGGER;
	s.argsz = sizeof(s) + 3;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_SET_IRQS, &s));
}

TEST(set_irqs, edu, unsupported_action_enotty)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	/* vfio_pci_set_irqs_ioctl(): no handler -> -ENOTTY [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, set_irqs_none(d.devfd, MASK, MSI, 0, 1));
	EXPECT_ERRNO(ENOTTY, set_irqs_none(d.devfd, UNMASK, MSI, 0, 1));
	EXPECT_ERRNO(ENOTTY, set_irqs_none(d.devfd, MASK, REQ, 0, 1));
	/* no action at all, or two of them */
	EXPECT_ERRNO(ENOTTY, set_irqs_none(d.devfd, 0, MSI, 0, 1));
	EXPECT_ERRNO(ENOTTY, set_irqs_none(d.devfd, MASK | UNMASK, INTX,
					   0, 1));
	/* vfio_pci_set_intx_mask(): a mask eventfd is not implemented */
	ASSERT_OK(set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	EXPECT_ERRNO(ENOTTY, set_irqs(d.devfd, VFIO_IRQ_SET_DATA_EVENTFD |
				      MASK, INTX, 0, 1, &efd, 4));
}

TEST(set_irqs, edu, msi_disable_only_when_active)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	/* vfio_pci_set_msi_trigger(): count 0 while not MSI -> -EINVAL [obs 6.1 A7] */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, MSI, 0, 0));
	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd));
	EXPECT_EQ(0, set_irqs_none(d.devfd, TRIGGER, MSI, 0, 0));
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, MSI, 0, 0));
}

TEST(set_irqs, edu, msi_loopback_and_device_raise)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();
	uint8_t no = 0, yes = 1;

	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd));
	/* nothing signalled yet: a read gives EAGAIN [obs 6.1 A7] */
	EXPECT_EQ(0, efd_take(efd));
	/* DATA_NONE trigger is a loopback to the eventfd [obs 6.1 A7] */
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, MSI, 0, 1));
	EXPECT_EQ(1, efd_take(efd));
	/* DATA_BOOL signals only where the bool is set */
	ASSERT_OK(set_irqs(d.devfd, VFIO_IRQ_SET_DATA_BOOL | TRIGGER, MSI, 0,
			   1, &no, 1));
	EXPECT_EQ(0, efd_take(efd));
	ASSERT_OK(set_irqs(d.devfd, VFIO_IRQ_SET_DATA_BOOL | TRIGGER, MSI, 0,
			   1, &yes, 1));
	EXPECT_EQ(1, efd_take(efd));
	/* edu's raise register arrives through MSI [obs 6.1 A7] */
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	edu_raise(d.devfd, 5);
	EXPECT_EQ(1, efd_wait(efd, 1000));
	EXPECT_EQ(5, bar_rd32(d.devfd, 0, 0x24));
	edu_ack(d.devfd, 5);
	EXPECT_EQ(0, bar_rd32(d.devfd, 0, 0x24));
}

TEST(set_irqs, edu, minus_one_deassigns_then_reassign)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new(), efd2 = efd_new(), none = -1;

	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd));
	/* vfio_msi_set_vector_signal(): fd < 0 drops the trigger only */
	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &none));
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, MSI, 0, 1));
	EXPECT_EQ(0, efd_take(efd));
	/* MSI stays the active type: a new fd for the same vector works */
	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd2));
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, MSI, 0, 1));
	EXPECT_EQ(1, efd_take(efd2));
	EXPECT_EQ(0, efd_take(efd));
}

TEST(set_irqs, edu, one_type_at_a_time)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd));
	/* vfio_intx_enable()/vfio_pci_set_intx_trigger(): MSI is on */
	EXPECT_ERRNO(EINVAL, set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	/* count 0 on INTx while MSI is active is no disable either */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, INTX, 0, 0));
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, MSI, 0, 0));
	ASSERT_OK(set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	EXPECT_ERRNO(EINVAL, set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd));
	/* INTx enable and disable both return 0 [obs 6.1 A7] */
	EXPECT_EQ(0, set_irqs_none(d.devfd, TRIGGER, INTX, 0, 0));
}

TEST(set_irqs, edu, bad_eventfds)
{
	struct pci_dev d = pci_open();
	int32_t bad = 999, notefd = open("/dev/null", O_RDONLY);

	/* eventfd_ctx_fdget(): no such fd -> EBADF, not an eventfd -> EINVAL */
	EXPECT_ERRNO(EBADF, set_irqs_eventfd(d.devfd, MSI, 0, 1, &bad));
	EXPECT_ERRNO(EINVAL, set_irqs_eventfd(d.devfd, MSI, 0, 1, &notefd));
	/* the failed enable left nothing on: INTx may go next */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, MSI, 0, 0));
	EXPECT_ERRNO(EBADF, set_irqs_eventfd(d.devfd, INTX, 0, 1, &bad));
}

TEST(set_irqs, edu, delivery_survives_client_close)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();
	int reader = dup(efd);

	ASSERT_OK(set_irqs_eventfd(d.devfd, MSI, 0, 1, &efd));
	/* the kernel holds its own eventfd_ctx reference */
	close(efd);
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	edu_raise(d.devfd, 1);
	EXPECT_EQ(1, efd_wait(reader, 1000));
}

TEST(set_irqs, edu, intx_automasked_until_unmask)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	ASSERT_OK(set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	/* vfio_intx_handler(): signal and mask */
	edu_raise(d.devfd, 1);
	EXPECT_EQ(1, efd_wait(efd, 1000));
	/* while masked, a new assertion is not sent */
	edu_ack(d.devfd, 1);
	edu_raise(d.devfd, 2);
	EXPECT_EQ(0, efd_wait(efd, 50));
	/* vfio_pci_intx_unmask(): still asserted -> sent again, masked */
	ASSERT_OK(set_irqs_none(d.devfd, UNMASK, INTX, 0, 1));
	EXPECT_EQ(1, efd_take(efd));
	/* the driver acks, unmasks: the line is low, nothing is sent */
	edu_ack(d.devfd, 2);
	ASSERT_OK(set_irqs_none(d.devfd, UNMASK, INTX, 0, 1));
	EXPECT_EQ(0, efd_take(efd));
	/* unmasked now: the next assertion goes out at once */
	edu_raise(d.devfd, 4);
	EXPECT_EQ(1, efd_wait(efd, 1000));
	edu_ack(d.devfd, 4);
	/* DATA_NONE trigger: a loopback for INTx too */
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, INTX, 0, 1));
	EXPECT_EQ(1, efd_take(efd));
}

TEST(set_irqs, edu, intx_mask_blocks_delivery)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	ASSERT_OK(set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	/* vfio_pci_intx_mask() */
	ASSERT_OK(set_irqs_none(d.devfd, MASK, INTX, 0, 1));
	edu_raise(d.devfd, 1);
	EXPECT_EQ(0, efd_wait(efd, 50));
	ASSERT_OK(set_irqs_none(d.devfd, UNMASK, INTX, 0, 1));
	EXPECT_EQ(1, efd_take(efd));
	edu_ack(d.devfd, 1);
	/* MASK/UNMASK need INTx enabled, start 0 and count 1 */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, MASK, INTX, 0, 0));
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, INTX, 0, 0));
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, UNMASK, INTX, 0, 1));
}

TEST(set_irqs, edu, intx_unmask_eventfd)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new(), unmask = efd_new();
	uint64_t one = 1;

	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	ASSERT_OK(set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	/* vfio_virqfd_enable(): a write to the unmask eventfd unmasks */
	ASSERT_OK(set_irqs(d.devfd, VFIO_IRQ_SET_DATA_EVENTFD | UNMASK, INTX,
			   0, 1, &unmask, 4));
	edu_raise(d.devfd, 1);
	EXPECT_EQ(1, efd_wait(efd, 1000));
	edu_ack(d.devfd, 1);
	edu_raise(d.devfd, 1);
	EXPECT_EQ(0, efd_wait(efd, 50));
	ASSERT_EQ(8, write(unmask, &one, 8));
	EXPECT_EQ(1, efd_wait(efd, 1000));
	edu_ack(d.devfd, 1);
}

TEST(set_irqs, edu, intx_disable_bit_masks)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	ASSERT_OK(set_irqs_eventfd(d.devfd, INTX, 0, 1, &efd));
	/* vfio_basic_config_write(): COMMAND.INTX_DISABLE masks INTx */
	cfg_wr(d.devfd, 0x04, 2, 0x0406);
	edu_raise(d.devfd, 1);
	EXPECT_EQ(0, efd_wait(efd, 50));
	/* clearing it unmasks, and the pending line is sent */
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	EXPECT_EQ(1, efd_wait(efd, 1000));
	edu_ack(d.devfd, 1);
}

TEST(set_irqs, edu, req_trigger_single)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new(), none = -1;

	/* vfio_pci_set_ctx_trigger_single(): count <= 1, start 0 */
	ASSERT_OK(set_irqs_eventfd(d.devfd, REQ, 0, 1, &efd));
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, REQ, 0, 1));
	EXPECT_EQ(1, efd_take(efd));
	/* DATA_NONE count 0 de-assigns */
	ASSERT_OK(set_irqs_none(d.devfd, TRIGGER, REQ, 0, 0));
	/* ... after which DATA_NONE finds no trigger and falls to -EINVAL */
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, REQ, 0, 1));
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, REQ, 0, 0));
	EXPECT_EQ(0, efd_take(efd));
	/* fd -1 de-assigns too */
	ASSERT_OK(set_irqs_eventfd(d.devfd, REQ, 0, 1, &efd));
	ASSERT_OK(set_irqs_eventfd(d.devfd, REQ, 0, 1, &none));
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd, TRIGGER, REQ, 0, 1));
	EXPECT_EQ(0, efd_take(efd));
	/* DATA_BOOL with count 0 -> -EINVAL */
	EXPECT_ERRNO(EINVAL, set_irqs(d.devfd, VFIO_IRQ_SET_DATA_BOOL |
				      TRIGGER, REQ, 0, 0, NULL, 1));
}
