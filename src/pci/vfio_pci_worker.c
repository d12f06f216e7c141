// SPDX-License-Identifier: MIT
/*
 * The device's worker thread: delayed work (uvfio_device_schedule()), the
 * model's poll callback while the device is open, and the INTx unmask
 * eventfd (the kernel's virqfd). One thread per device, started with the
 * device and again in a fork child.
 *
 * The thread runs every callback with state_lock held, so work, polls and
 * register accesses of one device never overlap. It sleeps in ppoll() on a
 * private eventfd (worker_wake) that anything changing its plans writes:
 * new work, an open, a new unmask eventfd. The thread starts on the first
 * such kick, not with the device: a process that forks before using a
 * device (every test harness) then forks with no thread of ours running,
 * which ThreadSanitizer requires of a child that starts threads.
 * worker_lock is a leaf lock, so a kick may come with any lock held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vfio_pci_core.h"

u64 vfio_pci_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static int __vfio_pci_worker_start(struct vfio_pci_core_device *vdev);

/*
 * Wakes the worker, starting it first if need be, so that it looks at its
 * queue and fds again. Any lock may be held.
 */
int vfio_pci_worker_kick(struct vfio_pci_core_device *vdev)
{
	u64 one = 1;
	int ret = 0;

	pthread_mutex_lock(&vdev->worker_lock);
	if (!vdev->worker_running)
		ret = __vfio_pci_worker_start(vdev);
	if (!ret &&
	    syscall(SYS_write, vdev->worker_wake, &one, sizeof(one)) < 0 &&
	    errno != EAGAIN)
		ret = -errno;
	pthread_mutex_unlock(&vdev->worker_lock);
	return ret;
}

/* Caller holds state_lock: runs what is due, returns the next deadline. */
static u64 __vfio_pci_worker_run(struct vfio_pci_core_device *vdev)
{
	const struct uvfio_device_model *model = vdev->model;
	struct uvfio_device *dev = pci_to_uvfio(vdev);
	u64 now = vfio_pci_now_ns(), next = UINT64_MAX;

	while (!list_empty(&vdev->work_list)) {
		struct vfio_pci_work *w = list_entry(vdev->work_list.next,
						     struct vfio_pci_work, node);

		if (w->deadline_ns > now) {
			next = w->deadline_ns;
			break;
		}
		list_del_init(&w->node);
		w->fn(dev, w->arg);
		free(w);
		now = vfio_pci_now_ns();
	}
	if (vdev->open_count && model->poll && model->poll_interval_us) {
		if (now >= vdev->next_poll_ns) {
			model->poll(dev);
			vdev->next_poll_ns = vfio_pci_now_ns() +
					     model->poll_interval_us * 1000ull;
		}
		next = min_t(u64, next, vdev->next_poll_ns);
	}
	return next;
}

static void *vfio_pci_worker_fn(void *arg)
{
	struct vfio_pci_core_device *vdev = arg;

	pthread_mutex_lock(&vdev->state_lock);
	while (!vdev->worker_stop) {
		u64 next = __vfio_pci_worker_run(vdev), now, cnt;
		struct pollfd pfd[2] = {
			{ .fd = vdev->worker_wake, .events = POLLIN },
			{ .fd = -1, .events = POLLIN },
		};
		struct timespec ts, *timeout = NULL;

		pthread_mutex_unlock(&vdev->state_lock);

		pthread_mutex_lock(&vdev->igate);
		pfd[1].fd = vdev->intx_unmask_fd;
		pthread_mutex_unlock(&vdev->igate);
		if (next != UINT64_MAX) {
			now = vfio_pci_now_ns();
			next = next > now ? next - now : 0;
			ts.tv_sec = (time_t)(next / 1000000000ull);
			ts.tv_nsec = (long)(next % 1000000000ull);
			timeout = &ts;
		}
		if (ppoll(pfd, 2, timeout, NULL) > 0) {
			if (pfd[0].revents & POLLIN)
				(void)!syscall(SYS_read, pfd[0].fd, &cnt,
					       sizeof(cnt));
			if (pfd[1].revents & POLLIN)
				vfio_pci_intx_unmask_irqfd(vdev, pfd[1].fd);
		}
		pthread_mutex_lock(&vdev->state_lock);
	}
	pthread_mutex_unlock(&vdev->state_lock);
	return NULL;
}

/* Caller holds worker_lock. */
static int __vfio_pci_worker_start(struct vfio_pci_core_device *vdev)
{
	int ret;

	vdev->worker_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vdev->worker_wake < 0)
		return -errno;
	vdev->worker_stop = false;
	ret = pthread_create(&vdev->worker, NULL, vfio_pci_worker_fn, vdev);
	if (ret) {
		syscall(SYS_close, vdev->worker_wake);
		vdev->worker_wake = -1;
		return -ret;
	}
	vdev->worker_running = true;
	return 0;
}

/* At creation, before the device is registered. */
void vfio_pci_worker_init(struct vfio_pci_core_device *vdev)
{
	INIT_LIST_HEAD(&vdev->work_list);
	pthread_mutex_init(&vdev->worker_lock, NULL);
	vdev->worker_wake = -1;
}

/* Drops all queued work (a reset); caller holds state_lock. */
void vfio_pci_worker_flush(struct vfio_pci_core_device *vdev)
{
	while (!list_empty(&vdev->work_list)) {
		struct vfio_pci_work *w = list_entry(vdev->work_list.next,
						     struct vfio_pci_work, node);

		list_del_init(&w->node);
		free(w);
	}
}

/* Balances vfio_pci_worker_init(); nothing held, no more kicks. */
void vfio_pci_worker_stop(struct vfio_pci_core_device *vdev)
{
	pthread_mutex_lock(&vdev->state_lock);
	vdev->worker_stop = true;
	vfio_pci_worker_flush(vdev);
	pthread_mutex_unlock(&vdev->state_lock);
	if (vdev->worker_running) {
		vfio_pci_worker_kick(vdev);
		pthread_join(vdev->worker, NULL);
		syscall(SYS_close, vdev->worker_wake);
		vdev->worker_wake = -1;
		vdev->worker_running = false;
	}
	pthread_mutex_destroy(&vdev->worker_lock);
}

/*
 * In a fork child, where only the forking thread exists: the worker is
 * gone and its eventfd is shared with the parent's, so make both anew.
 * Queued work stays queued and runs in the child.
 */
int vfio_pci_worker_atfork_child(struct vfio_pci_core_device *vdev)
{
	if (!vdev->worker_running)
		return 0;
	syscall(SYS_close, vdev->worker_wake);
	vdev->worker_running = false;
	return __vfio_pci_worker_start(vdev);
}

__export int uvfio_device_schedule(struct uvfio_device *dev, uvfio_work_fn fn,
				   void *arg, uint64_t delay_ns)
{
	struct vfio_pci_core_device *vdev = uvfio_to_pci(dev);
	struct vfio_pci_work *w = malloc(sizeof(*w)), *pos;

	if (!w)
		return -ENOMEM;
	w->deadline_ns = vfio_pci_now_ns() + delay_ns;
	w->fn = fn;
	w->arg = arg;
	/* After every item due no later: equal deadlines keep their order. */
	list_for_each_entry(pos, &vdev->work_list, node) {
		if (pos->deadline_ns > w->deadline_ns)
			break;
	}
	list_add_tail(&w->node, &pos->node);
	return vfio_pci_worker_kick(vdev);
}

__export void uvfio_device_lock(struct uvfio_device *dev)
{
	pthread_mutex_lock(&uvfio_to_pci(dev)->state_lock);
}

__export void uvfio_device_unlock(struct uvfio_device *dev)
{
	pthread_mutex_unlock(&uvfio_to_pci(dev)->state_lock);
}
