/* SPDX-License-Identifier: MIT */
/* An intrusive circular doubly linked list, shaped like the kernel's. */
#ifndef UVFIO_UTIL_LIST_H
#define UVFIO_UTIL_LIST_H

#include <stdbool.h>
#include "compiler.h"

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del_init(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	INIT_LIST_HEAD(n);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_for_each_entry(pos, head, member)				     \
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	     \
	     &pos->member != (head);					     \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

#endif /* UVFIO_UTIL_LIST_H */
