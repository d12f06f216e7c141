// SPDX-License-Identifier: MIT
/*
 * What the gate and the emulated syscall cost, measured side by side in one
 * run (the machine is shared and noisy: compare the ratios, not the ns).
 * Runs under "uvfio run", through the interposer, with raw syscalls:
 *
 *   real ioctl      ioctl(/dev/null, FIONREAD-like unknown) in the kernel
 *   blocked         VFIO_DEVICE_GET_INFO on a blocked cdev fd: the gate says EINVAL
 *   granted         VFIO_DEVICE_GET_INFO on a bound fd: gate, handler, copies
 *   granted xN      the same from N threads on one fd (QEMU vCPUs)
 *   config pread    4 bytes of config space on the bound fd
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

#define ITERS	200000
#define THREADS	2

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int get_info(int fd)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	return ioctl(fd, VFIO_DEVICE_GET_INFO, &info);
}

static double bench_get_info(int fd)
{
	double t = now_ns();

	for (int i = 0; i < ITERS; i++)
		get_info(fd);
	return (now_ns() - t) / ITERS;
}

static double bench_real_ioctl(int fd)
{
	double t = now_ns();

	for (int i = 0; i < ITERS; i++)
		ioctl(fd, _IO(';', 200), NULL);
	return (now_ns() - t) / ITERS;
}

static double bench_pread(int fd)
{
	uint32_t v;
	double t = now_ns();

	for (int i = 0; i < ITERS; i++)
		if (pread(fd, &v, 4, 7ULL << 40) != 4)
			abort();
	return (now_ns() - t) / ITERS;
}

struct per_thread {
	int fd;
	double ns;
};

static void *thread_fn(void *arg)
{
	struct per_thread *p = arg;

	p->ns = bench_get_info(p->fd);
	return NULL;
}

int main(void)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct per_thread per[THREADS];
	int null = open("/dev/null", O_RDWR);
	int dev = open("/dev/vfio/devices/vfio0", O_RDWR);
	int iommufd = open("/dev/iommu", O_RDWR);
	pthread_t t[THREADS];
	double real, blocked, granted, pread_ns, mt = 0;

	if (null < 0 || dev < 0 || iommufd < 0) {
		perror("open");
		return 1;
	}
	real = bench_real_ioctl(null);
	blocked = bench_get_info(dev);
	bind.iommufd = iommufd;
	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		perror("bind");
		return 1;
	}
	granted = bench_get_info(dev);
	pread_ns = bench_pread(dev);
	for (int i = 0; i < THREADS; i++) {
		per[i].fd = dev;
		pthread_create(&t[i], NULL, thread_fn, &per[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		mt += per[i].ns / THREADS;
	}

	printf("%-34s %9s %9s\n", "operation", "ns/op", "vs real");
	printf("%-34s %9.0f %9.2f\n", "real ioctl (/dev/null, ENOTTY)", real, 1.0);
	printf("%-34s %9.0f %9.2f\n", "GET_INFO, blocked (EINVAL)", blocked, blocked / real);
	printf("%-34s %9.0f %9.2f\n", "GET_INFO, granted", granted, granted / real);
	printf("%-34s %9.0f %9.2f\n", "GET_INFO, granted, 2 threads", mt, mt / real);
	printf("%-34s %9.0f %9.2f\n", "pread 4 bytes of config", pread_ns, pread_ns / real);
	return 0;
}
