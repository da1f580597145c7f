/*
 * resource.h -- GET and HEAD of a bundle's resource, from its file.
 */
#ifndef CRIER_RESOURCE_H
#define CRIER_RESOURCE_H

#include <event2/http.h>

#include "config.h"
#include "document.h"
#include "http_reply.h"

/* 200 (sent from the file with sendfile), 304, or 404 when the file of
 * d is gone, a symlink, not a regular file or over max_resource_size. */
void	 resource_reply(struct http_reply *, struct evhttp_request *,
	    const struct config *, const struct document *);

#endif
