/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stack discovery internals shared by stack.c (the run: listing stacks,
 * starting the requests) and stack_src.c (turning answers into sources).
 * A run has the same shape as an API discovery run (discover_int.h):
 * jobs write into slots, and a phase runs when the last job of the one
 * before has answered.
 */
#ifndef APILOGS_STACK_INT_H
#define APILOGS_STACK_INT_H

#include <stddef.h>

#include "discover/cfn.h"
#include "discover/discover_int.h"
#include "discover/lambda.h"
#include "discover/sfn.h"

/* A stack of the run: the top one, or one nested in it. */
struct sstack {
	char *name; /* as asked for: a name, or a stack id (ARN) */
	char *path; /* logical ids leading to it, each with '/'; "" */
	int depth;  /* 0: the top stack */
	struct cfn_resources res;
	struct dcall call;
};

enum sitem_kind {
	SITEM_NONE = 0,
	SITEM_LAMBDA,
	SITEM_API,
	SITEM_STATES,
	SITEM_LOGGROUP,
	SITEM_STACK
};

/* A resource whose log groups are read. */
struct sitem {
	enum sitem_kind kind;
	char *logical; /* with its stack's path: "Orders/Fn" */
	char *type;
	char *physical;
	struct dcall call;             /* Lambda, Step Functions */
	struct lambda_config cfg;      /* Lambda */
	struct sfn_machine sm;         /* Step Functions */
	struct discover_result **apis; /* APIs: one result per stage */
	size_t napis;
	int expanded; /* APIs: one run per stage was started */
};

struct discover_stack_op;
typedef void (*sphase)(struct discover_stack_op *);

/* A request in flight: a restjson operation or an API discovery. */
struct sjob {
	struct discover_stack_op *s;
	struct restjson_op *rop;
	struct discover_op *dop;
	struct dcall *slot; /* rop: where its outcome goes */
	struct sitem *item; /* dop: the API */
	struct sjob *prev, *next;
};

struct discover_stack_op {
	struct discover *d;
	struct discover_result *r;
	discover_done_cb done;
	void *arg;
	char *stage;  /* asked for, or NULL */
	char **names; /* --name, nnames of them */
	int *matched; /* per name: something matched it */
	size_t nnames;
	struct sstack **stacks;
	size_t nstacks;
	size_t nlisted; /* stacks whose nested stacks were followed */
	struct sitem **items;
	size_t nitems;
	struct sjob *jobs;
	size_t pending;
	sphase next;
	int delivering;
};

/* stack.c */
void stack_resolve_start(struct discover_stack_op *);
void stack_finish(struct discover_stack_op *);

/* stack_src.c */
/* Does a resource (its logical path) pass --name? Marks the names that
 * match it. */
int stack_names_match(struct discover_stack_op *, const char *path);
/* A --name that matched nothing ends the run (DISCOVER_NO_NAME): -1. */
int stack_names_unmatched(struct discover_stack_op *);
/* Every answer is in: turn the items into sources. */
void stack_resolved(struct discover_stack_op *);
/* Order the sources of a stack's result. */
void stack_sort(struct discover_result *);
/* Free a run's state (not its jobs). */
void stack_free(struct discover_stack_op *);

#endif
