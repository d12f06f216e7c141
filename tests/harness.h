/* SPDX-License-Identifier: MIT */
/*
 * A small test harness in the shape of the kernel's kselftest_harness.h:
 * tests named fixture.variant.behaviour, each run in its own forked child
 * with a timeout, ASSERT_* stopping a test and EXPECT_* recording and going
 * on, SKIP() with a reason, and TAP output. tests/run.sh adds up the "ok"
 * and "not ok" lines of every program and prints "N passed, N failed".
 *
 * Include it in exactly one .c file per program; it defines main().
 */
#ifndef UVFIO_TESTS_HARNESS_H
#define UVFIO_TESTS_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HARNESS_MAX_TESTS	512
#define HARNESS_TIMEOUT_S	60
#define HARNESS_EXIT_SKIP	4

struct harness_test {
	const char *name;
	void (*fn)(void);
};

static struct harness_test harness_tests[HARNESS_MAX_TESTS];
static int harness_count;
static int harness_failed;	/* in the child: some EXPECT failed */

static inline void harness_register(const char *name, void (*fn)(void))
{
	if (harness_count == HARNESS_MAX_TESTS) {
		fprintf(stderr, "harness: too many tests\n");
		exit(1);
	}
	harness_tests[harness_count].name = name;
	harness_tests[harness_count].fn = fn;
	harness_count++;
}

/* TEST(cdev, edu, bind_twice_einval) { ... } */
#define TEST(fixture, variant, name)					\
	static void test_##fixture##_##variant##_##name(void);		\
	__attribute__((constructor)) static void			\
	register_##fixture##_##variant##_##name(void)			\
	{								\
		harness_register(#fixture "." #variant "." #name,	\
				 test_##fixture##_##variant##_##name);	\
	}								\
	static void test_##fixture##_##variant##_##name(void)

#define harness_report(fmt, ...)					\
	fprintf(stderr, "#   %s:%d: " fmt "\n", __FILE__, __LINE__,	\
		##__VA_ARGS__)

#define EXPECT_TRUE(cond)						\
	({								\
		bool __ok = (cond);					\
		if (!__ok) {						\
			harness_report("expected %s", #cond);		\
			harness_failed = 1;				\
		}							\
		__ok;							\
	})

#define ASSERT_TRUE(cond)						\
	do {								\
		if (!EXPECT_TRUE(cond))					\
			exit(1);					\
	} while (0)

#define EXPECT_EQ(expected, seen)					\
	({								\
		long long __e = (long long)(expected);			\
		long long __s = (long long)(seen);			\
		if (__e != __s) {					\
			harness_report("%s == %s: expected %lld (0x%llx), got %lld (0x%llx)", \
				       #expected, #seen, __e,		\
				       (unsigned long long)__e, __s,	\
				       (unsigned long long)__s);	\
			harness_failed = 1;				\
		}							\
		__e == __s;						\
	})

#define ASSERT_EQ(expected, seen)					\
	do {								\
		if (!EXPECT_EQ(expected, seen))				\
			exit(1);					\
	} while (0)

#define ASSERT_NE(unexpected, seen)					\
	do {								\
		long long __u = (long long)(unexpected);		\
		long long __s = (long long)(seen);			\
		if (__u == __s) {					\
			harness_report("%s != %s: both are %lld",	\
				       #unexpected, #seen, __s);	\
			exit(1);					\
		}							\
	} while (0)

/* A call that must fail with -1 and exactly @err in errno. */
#define EXPECT_ERRNO(err, call)						\
	({								\
		long __r;						\
		errno = 0;						\
		__r = (long)(call);					\
		bool __ok = __r == -1 && errno == (err);		\
		if (!__ok) {						\
			harness_report("%s: expected -1/%s, got %ld/%s", \
				       #call, strerrorname_np(err), __r, \
				       errno ? strerrorname_np(errno) : "0"); \
			harness_failed = 1;				\
		}							\
		__ok;							\
	})

#define ASSERT_ERRNO(err, call)						\
	do {								\
		if (!EXPECT_ERRNO(err, call))				\
			exit(1);					\
	} while (0)

/* A call that must succeed (return >= 0); yields its result. */
#define ASSERT_OK(call)							\
	({								\
		long __r;						\
		errno = 0;						\
		__r = (long)(call);					\
		if (__r < 0) {						\
			harness_report("%s: failed: %ld/%s", #call, __r, \
				       strerrorname_np(errno));		\
			exit(1);					\
		}							\
		__r;							\
	})

#define SKIP(fmt, ...)							\
	do {								\
		fprintf(stderr, "#   SKIP: " fmt "\n", ##__VA_ARGS__);	\
		printf("# SKIP reason: " fmt "\n", ##__VA_ARGS__);	\
		fflush(stdout);						\
		exit(HARNESS_EXIT_SKIP);				\
	} while (0)

static int harness_run_one(int n, const struct harness_test *t)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (!pid) {
		alarm(HARNESS_TIMEOUT_S);
		t->fn();
		exit(harness_failed ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok %d %s\n", n, t->name);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == HARNESS_EXIT_SKIP) {
		printf("ok %d %s # SKIP\n", n, t->name);
		return 0;
	}
	if (WIFSIGNALED(status))
		printf("not ok %d %s # killed by signal %d%s\n", n, t->name,
		       WTERMSIG(status),
		       WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	else
		printf("not ok %d %s # exit %d\n", n, t->name,
		       WEXITSTATUS(status));
	return 1;
}

/* With arguments, runs only the tests whose names contain one of them. */
int main(int argc, char **argv)
{
	int failed = 0, n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	for (int i = 0; i < harness_count; i++) {
		bool wanted = argc < 2;

		for (int a = 1; a < argc && !wanted; a++)
			wanted = strstr(harness_tests[i].name, argv[a]);
		if (wanted)
			failed += harness_run_one(++n, &harness_tests[i]);
	}
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

#endif /* UVFIO_TESTS_HARNESS_H */
