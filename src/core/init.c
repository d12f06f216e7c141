// SPDX-License-Identifier: MIT
/*
 * Bringing up the emulated kernel: the fixed device nodes, the trace switch
 * and the fork hooks. Runs once per process, on first use.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "uvfio_init.h"
#include "vfio.h"
#include "dma.h"
#include "../pci/vfio_pci_core.h"
#include "../iommufd/iommufd.h"
#include "../vfs/uaccess.h"

static pthread_once_t uvfio_init_once = PTHREAD_ONCE_INIT;
static int uvfio_init_ret;	/* written once under uvfio_init_once */

/*
 * A forked child has only the forking thread: device state and files carry
 * over as in the parent (the kernel's device would be shared instead, see
 * docs), and every lock the fork could have caught is handed back.
 */
static void uvfio_atfork_prepare(void)
{
	/* In lock order: device sets, each device's own locks, then DMA. */
	vfio_device_atfork_prepare();
	vfio_pci_atfork_prepare();
	vfio_dma_atfork_prepare();
}

static void uvfio_atfork_parent(void)
{
	vfio_dma_atfork_parent();
	vfio_pci_atfork_parent();
	vfio_device_atfork_parent();
}

static void uvfio_atfork_child(void)
{
	vfio_dma_atfork_child();
	vfio_pci_atfork_child();
	vfio_device_atfork_child();
	uvfio_fdtable_atfork_child();
	uaccess_atfork_child();
}

static void __uvfio_init(void)
{
	vfs_trace_init();
	uvfio_init_ret = iommufd_register_node() ?:
			 vfio_container_register_node();
	if (!uvfio_init_ret)
		uvfio_init_ret = -pthread_atfork(uvfio_atfork_prepare,
						 uvfio_atfork_parent,
						 uvfio_atfork_child);
}

int uvfio_init(void)
{
	pthread_once(&uvfio_init_once, __uvfio_init);
	return uvfio_init_ret;
}
