/*
 * websub.c -- publish pings (WebSub, W3C Recommendation 2018, section 7):
 * after a rebuild, one POST per changed feed with hub.mode=publish and
 * hub.url=<the feed's self URL>, the URL advertised as rel=self.
 *
 * Pings run on the event loop and never block serving; a failure is
 * logged, shown in /status (the report callback) and otherwise ignored
 * (the hub falls back to polling).  Each ping has its own connection
 * (many hubs close after each request); it is freed from a zero-delay
 * event once its request is done, since a connection cannot be freed
 * inside its own callback, and shutdown frees whatever is still in flight.
 *
 * An https:// hub is spoken to through an OpenSSL bufferevent under
 * evhttp's connection: TLS 1.2 or later, the certificate checked against
 * OpenSSL's default trust store (the system's /etc/ssl/certs, or the
 * files the standard SSL_CERT_FILE and SSL_CERT_DIR variables name) and
 * against the hub's host name, which is also sent as SNI.  The request
 * waits in the bufferevent until the handshake is done, so a refused
 * certificate fails the connection before a byte of the ping is sent.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dates.h"
#include "log.h"
#include "util.h"
#include "websub.h"

#define PINGS_MAX 64	/* per rebuild; more is a hub's full re-crawl */

struct ping {
	struct websub		*ws;
	struct evhttp_connection *conn;
	char			*feed_url;
	char			*host;
	int			 tls;
	/* Why it failed, as evhttp and OpenSSL's verifier said. */
	int			 failed;
	enum evhttp_request_error error;
	long			 verify_error;	/* X509_V_OK if none */
	int			 verify_depth;
	struct ping		*next;
};

/* The resolver and the TLS context are made on first use: most sites
 * configure no hub. */
void
websub_init(struct websub *ws, struct event_base *base,
    websub_report_cb *report, void *arg)
{
	memset(ws, 0, sizeof *ws);
	ws->base = base;
	ws->report = report;
	ws->report_arg = arg;
}

static void
ping_free(struct ping *p)
{
	struct ping **pp;

	for (pp = &p->ws->pings; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	/* Frees the bufferevent and with it the SSL object. */
	if (p->conn != NULL)
		evhttp_connection_free(p->conn);
	free(p->feed_url);
	free(p->host);
	free(p);
}

void
websub_free(struct websub *ws)
{
	while (ws->pings != NULL)
		ping_free(ws->pings);
	if (ws->dns != NULL)
		evdns_base_free(ws->dns, 0);
	ws->dns = NULL;
	SSL_CTX_free(ws->tls);
	ws->tls = NULL;
	free(ws->hub);
	ws->hub = NULL;
	free(ws->last_error);
	ws->last_error = NULL;
}

/* The outcome for /status, as {"hub", "ok", "last_ok", "last_error",
 * "last_error_at"}; times are RFC 3339, null for never. */
static void
report(struct websub *ws)
{
	char ok[DATE_BUFSIZE], err[DATE_BUFSIZE];
	json_t *o;
	char *text;

	if (ws->report == NULL)
		return;
	dates_format_rfc3339(ws->last_ok, ok);
	dates_format_rfc3339(ws->last_error_at, err);
	o = json_pack("{s:s, s:b, s:s?, s:s?, s:s?}", "hub", ws->hub,
	    "ok", ws->ok, "last_ok", ws->last_ok ? ok : NULL,
	    "last_error", ws->last_error,
	    "last_error_at", ws->last_error_at ? err : NULL);
	if (o == NULL || (text = json_dumps(o, JSON_COMPACT)) == NULL) {
		log_error("websub: cannot describe the last ping for /status");
		json_decref(o);
		return;
	}
	json_decref(o);
	ws->report(ws->report_arg, text);
	free(text);
}

static void
record_ok(struct websub *ws)
{
	ws->ok = 1;
	ws->last_ok = time(NULL);
	report(ws);
}

static void
record_error(struct websub *ws, const char *why)
{
	ws->ok = 0;
	ws->last_error_at = time(NULL);
	free(ws->last_error);
	ws->last_error = xstrdup(why);
	report(ws);
}

static void
ping_release(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ping_free(arg);
}

static const char *
request_error_name(enum evhttp_request_error e)
{
	switch (e) {
	case EVREQ_HTTP_TIMEOUT:
		return "no answer in time";
	case EVREQ_HTTP_EOF:
		return "the connection failed or was closed";
	case EVREQ_HTTP_INVALID_HEADER:
		return "an invalid answer";
	case EVREQ_HTTP_BUFFER_ERROR:
		return "the connection failed";
	case EVREQ_HTTP_REQUEST_CANCEL:
		return "the request was cancelled";
	case EVREQ_HTTP_DATA_TOO_LONG:
		return "an answer too long";
	}
	return "an unknown failure";
}

/* Why a ping got no answer: a refused certificate first, else what
 * OpenSSL said, else what evhttp said: its error callback is called for
 * failures after connecting, not for a failed connect. */
static void
describe_failure(const struct ping *p, char *why, size_t len)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(p->conn);
	unsigned long e = 0, next;
	char tls[256];

	if (p->verify_error != X509_V_OK) {
		snprintf(why, len, "the certificate of %s is refused: %s "
		    "(certificate depth %d)", p->host,
		    X509_verify_cert_error_string(p->verify_error),
		    p->verify_depth);
		return;
	}
	/* The first error queued is the cause; the others follow from it.
	 * Codes of no library are SSL_get_error's: a socket's failure,
	 * which evhttp describes. */
	while (p->tls && bev != NULL &&
	    (next = bufferevent_get_openssl_error(bev)) != 0)
		if (e == 0 && ERR_GET_LIB(next) != 0)
			e = next;
	if (e != 0) {
		ERR_error_string_n(e, tls, sizeof tls);
		snprintf(why, len, "TLS with %s failed: %s", p->host, tls);
	} else if (!p->failed)	/* evhttp gives no reason for these */
		snprintf(why, len, "no connection to %s (refused, unreachable "
		    "or timed out)", p->host);
	else
		snprintf(why, len, "%s: %s", p->host,
		    request_error_name(p->error));
}

static void
ping_failed(enum evhttp_request_error error, void *arg)
{
	struct ping *p = arg;

	p->failed = 1;
	p->error = error;
}

static void
ping_done(struct evhttp_request *req, void *arg)
{
	struct ping *p = arg;
	struct timeval now = { 0, 0 };
	int code = req ? evhttp_request_get_response_code(req) : 0;
	char why[512];

	if (p->verify_error != X509_V_OK || p->failed || code == 0) {
		describe_failure(p, why, sizeof why);
		log_error("websub: %s; %s was not pinged", why, p->feed_url);
		record_error(p->ws, why);
	} else if (code < 200 || code > 299) {
		snprintf(why, sizeof why, "%s answered %d", p->host, code);
		log_warn("websub: the hub answered %d for %s", code,
		    p->feed_url);
		record_error(p->ws, why);
	} else {
		log_debug("websub: hub notified of %s", p->feed_url);
		record_ok(p->ws);
	}
	if (event_base_once(p->ws->base, -1, EV_TIMEOUT, ping_release, p,
	    &now) == -1)
		log_error("websub: cannot schedule a connection's release");
}

static int
send_ping(struct ping *p, const char *authority, const char *path)
{
	struct evhttp_request *req;
	struct evkeyvalq *headers;
	char *body, *enc;

	if ((req = evhttp_request_new(ping_done, p)) == NULL)
		return -1;
	evhttp_request_set_error_cb(req, ping_failed);
	headers = evhttp_request_get_output_headers(req);
	if ((enc = evhttp_encode_uri(p->feed_url)) == NULL) {
		evhttp_request_free(req);
		return -1;
	}
	body = xasprintf("hub.mode=publish&hub.url=%s", enc);
	free(enc);
	if (evhttp_add_header(headers, "Host", authority) == -1 ||
	    evhttp_add_header(headers, "Content-Type",
	    "application/x-www-form-urlencoded") == -1 ||
	    evbuffer_add(evhttp_request_get_output_buffer(req), body,
	    strlen(body)) == -1) {
		free(body);
		evhttp_request_free(req);
		return -1;
	}
	free(body);
	/* On failure libevent frees the request itself. */
	return evhttp_make_request(p->conn, req, EVHTTP_REQ_POST, path);
}

/* Keeps the first reason the verifier gives, for the log and /status;
 * the verdict stays OpenSSL's. */
static int
tls_verified(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	struct ping *p = ssl != NULL ? SSL_get_app_data(ssl) : NULL;

	if (!ok && p != NULL && p->verify_error == X509_V_OK) {
		p->verify_error = X509_STORE_CTX_get_error(store);
		p->verify_depth = X509_STORE_CTX_get_error_depth(store);
	}
	return ok;
}

static const char *
env_or(const char *name, const char *otherwise)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : otherwise;
}

static void
log_tls_error(const char *what)
{
	char buf[256];
	unsigned long e = ERR_get_error();

	ERR_error_string_n(e, buf, sizeof buf);
	log_error("websub: %s: %s", what, e != 0 ? buf : "unknown error");
	ERR_clear_error();
}

/* One context for every ping: TLS 1.2+, peers verified against the
 * default paths, which OpenSSL takes from SSL_CERT_FILE and SSL_CERT_DIR
 * when set (how the tests trust their own CA) and else the system's. */
static SSL_CTX *
tls_context(struct websub *ws)
{
	SSL_CTX *ctx;

	if (ws->tls != NULL)
		return ws->tls;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		log_tls_error("cannot make a TLS context");
		return NULL;
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_default_verify_paths(ctx) != 1) {
		log_tls_error("cannot set up TLS");
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, tls_verified);
	log_info("websub: hub certificates are checked against %s and %s",
	    env_or(X509_get_default_cert_file_env(),
	    X509_get_default_cert_file()),
	    env_or(X509_get_default_cert_dir_env(),
	    X509_get_default_cert_dir()));
	return ws->tls = ctx;
}

/* The name the certificate must carry: a DNS name (also sent as SNI) or
 * an IP address (never sent as SNI, RFC 6066 section 3). */
static int
tls_set_name(SSL *ssl, const char *host)
{
	char name[256];
	size_t n = strlen(host);
	unsigned char addr[16];

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof name)
		return -1;
	memcpy(name, host, n);
	name[n] = '\0';
	if (inet_pton(AF_INET, name, addr) == 1 ||
	    inet_pton(AF_INET6, name, addr) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    name) == 1 ? 0 : -1;
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (SSL_set_tlsext_host_name(ssl, name) != 1 ||
	    SSL_set1_host(ssl, name) != 1)
		return -1;
	return 0;
}

/* An OpenSSL bufferevent for evhttp's connection, in connecting state:
 * evhttp gives it the socket, and it shakes hands before writing. */
static struct bufferevent *
tls_bufferevent(struct ping *p)
{
	SSL_CTX *ctx = tls_context(p->ws);
	struct bufferevent *bev;
	SSL *ssl;

	if (ctx == NULL)
		return NULL;
	if ((ssl = SSL_new(ctx)) == NULL) {
		log_tls_error("cannot start TLS");
		return NULL;
	}
	if (SSL_set_app_data(ssl, p) != 1 || tls_set_name(ssl, p->host) == -1) {
		log_tls_error("cannot set the hub's name for TLS");
		SSL_free(ssl);
		return NULL;
	}
	bev = bufferevent_openssl_socket_new(p->ws->base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING,
	    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (bev == NULL) {
		log_error("websub: cannot make a TLS bufferevent");
		SSL_free(ssl);
		return NULL;
	}
	/* Hubs that close without close_notify are common; a truncated
	 * answer to a ping is harmless. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

static struct evhttp_connection *
ping_connect(struct ping *p, int port)
{
	struct websub *ws = p->ws;
	struct evhttp_connection *conn;
	struct bufferevent *bev;

	if (!p->tls)
		return evhttp_connection_base_new(ws->base, ws->dns, p->host,
		    (unsigned short)port);
	if ((bev = tls_bufferevent(p)) == NULL)
		return NULL;
	/* It owns the bufferevent once made; it fails only before. */
	if ((conn = evhttp_connection_base_bufferevent_new(ws->base, ws->dns,
	    bev, p->host, (unsigned short)port)) == NULL)
		bufferevent_free(bev);
	return conn;
}

/* authority is the Host header: the host, and the port if not the
 * scheme's. */
static void
ping_one(struct websub *ws, const struct config *cfg, const char *host,
    const char *authority, int port, int tls, const char *path,
    const char *feed_path)
{
	struct ping *p = xcalloc(1, sizeof *p);
	char why[512];

	p->ws = ws;
	p->feed_url = xasprintf("%s%s", cfg->base_url, feed_path);
	p->host = xstrdup(host);
	p->tls = tls;
	p->verify_error = X509_V_OK;
	p->next = ws->pings;
	ws->pings = p;
	/* With no evdns base, libevent would resolve the hub's name with a
	 * blocking call inside the event loop. */
	if (ws->dns == NULL && (ws->dns = evdns_base_new(ws->base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL)
		log_warn("websub: no DNS resolver; the hub must be an address");
	if ((p->conn = ping_connect(p, port)) == NULL) {
		snprintf(why, sizeof why, "cannot connect to %s",
		    cfg->websub_hub);
		log_error("websub: %s", why);
		record_error(ws, why);
		ping_free(p);
		return;
	}
	evhttp_connection_set_timeout(p->conn, 10);
	if (send_ping(p, authority, path) == -1) {
		snprintf(why, sizeof why, "cannot send a ping to %s",
		    cfg->websub_hub);
		log_error("websub: %s for %s", why, p->feed_url);
		record_error(ws, why);
		ping_free(p);
	}
}

/* A new hub (a reload) starts a new record. */
static void
set_hub(struct websub *ws, const char *hub)
{
	if (ws->hub != NULL && strcmp(ws->hub, hub) == 0)
		return;
	free(ws->hub);
	ws->hub = xstrdup(hub);
	ws->ok = 0;
	ws->last_ok = ws->last_error_at = 0;
	free(ws->last_error);
	ws->last_error = NULL;
}

void
websub_ping(struct websub *ws, const struct config *cfg,
    char *const *paths, size_t n)
{
	struct evhttp_uri *uri;
	const char *host, *path, *scheme;
	char *authority;
	size_t i;
	int port, tls;

	/* The configuration checked the URL (config_validate). */
	if (n == 0 || cfg->websub_hub[0] == '\0' ||
	    (uri = evhttp_uri_parse(cfg->websub_hub)) == NULL)
		return;
	scheme = evhttp_uri_get_scheme(uri);
	if ((host = evhttp_uri_get_host(uri)) == NULL || scheme == NULL) {
		evhttp_uri_free(uri);
		return;
	}
	set_hub(ws, cfg->websub_hub);
	tls = strcmp(scheme, "https") == 0;
	if ((port = evhttp_uri_get_port(uri)) > 0)
		authority = xasprintf("%s:%d", host, port);
	else {
		port = tls ? 443 : 80;
		authority = xstrdup(host);
	}
	path = evhttp_uri_get_path(uri);
	if (path == NULL || path[0] == '\0')
		path = "/";
	for (i = 0; i < n && i < PINGS_MAX; i++)
		ping_one(ws, cfg, host, authority, port, tls, path, paths[i]);
	free(authority);
	evhttp_uri_free(uri);
}
