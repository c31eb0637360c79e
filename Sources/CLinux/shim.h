#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <stdint.h>
#include <sys/prctl.h>

/* struct epoll_event is packed on x86_64: keep it on the C side. */
static inline int shim_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t tag) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = tag;
    return epoll_ctl(epfd, op, fd, &ev);
}

/* Waits and unpacks up to `max` events into parallel arrays. */
static inline int shim_epoll_wait(int epfd, uint64_t *tags, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) { tags[i] = evs[i].data.u64; events[i] = evs[i].events; }
    return n;
}

/* Declared here rather than via _GNU_SOURCE, which would change struct layouts shared with COpenSSL. */
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

static inline int shim_accept4(int fd) {
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static inline int shim_errno(void) { return errno; }

static inline void shim_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

static inline int64_t shim_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Creates a non-blocking listening TCP socket (IPv4 or IPv6 literal); returns fd or -errno. */
static inline int shim_listen(const char *address, int port, int backlog) {
    struct sockaddr_storage ss;
    socklen_t len;
    int family;
    __builtin_memset(&ss, 0, sizeof ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, address, &a4->sin_addr) == 1) {
        family = AF_INET; a4->sin_family = AF_INET; a4->sin_port = htons((uint16_t)port); len = sizeof *a4;
    } else if (inet_pton(AF_INET6, address, &a6->sin6_addr) == 1) {
        family = AF_INET6; a6->sin6_family = AF_INET6; a6->sin6_port = htons((uint16_t)port); len = sizeof *a6;
    } else {
        return -EINVAL;
    }
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, backlog) != 0) {
        int e = errno; close(fd); return -e;
    }
    return fd;
}

/* The port a socket is bound to, or -1. */
static inline int shim_local_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

static inline void shim_set_nodelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* --- client sockets (used by WebhookTLS's TLSClientConnection) ------------------------------ */
#include <netdb.h>
#include <poll.h>
#include <string.h>

/* getaddrinfo failures are returned as -(SHIM_GAI_BASE + |code|) so they never collide with -errno. */
#define SHIM_GAI_BASE 100000

/* Resolves host (name or IP literal) and connects a non-blocking TCP socket to the first address
   that answers within timeout_ms each; returns the fd or a negative error (see SHIM_GAI_BASE). */
static inline int shim_tcp_connect(const char *host, const char *port, int timeout_ms) {
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    __builtin_memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, port, &hints, &res);
    if (g != 0) return -(SHIM_GAI_BASE + (g < 0 ? -g : g));
    int last = ECONNREFUSED;
    for (struct addrinfo *p = res; p != NULL; p = p->ai_next) {
        int fd = socket(p->ai_family, p->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, p->ai_protocol);
        if (fd < 0) { last = errno; continue; }
        int ok = 0;
        if (connect(fd, p->ai_addr, p->ai_addrlen) == 0) {
            ok = 1;
        } else if (errno == EINPROGRESS) {
            struct pollfd pfd = { fd, POLLOUT, 0 };
            int r;
            do { r = poll(&pfd, 1, timeout_ms); } while (r < 0 && errno == EINTR);
            if (r == 1) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err == 0) ok = 1; else last = err;
            } else {
                last = r == 0 ? ETIMEDOUT : errno;
            }
        } else {
            last = errno;
        }
        if (ok) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            freeaddrinfo(res);
            return fd;
        }
        close(fd);
    }
    freeaddrinfo(res);
    return -last;
}

/* Text for a shim_tcp_connect resolver failure code (the positive |code|). */
static inline const char *shim_gai_strerror(int code) { return gai_strerror(-code) ; }

/* Waits for `events` (POLLIN/POLLOUT) on fd; returns revents, 0 on timeout, -errno on error. */
static inline int shim_poll_one(int fd, int events, int timeout_ms) {
    struct pollfd pfd = { fd, (short)events, 0 };
    int r = poll(&pfd, 1, timeout_ms);
    if (r < 0) return -errno;
    return r == 0 ? 0 : (int)pfd.revents;
}

static inline int shim_POLLIN(void) { return POLLIN; }
static inline int shim_POLLOUT(void) { return POLLOUT; }

/* Names the calling thread (at most 15 bytes are kept), for top -H, perf and gdb. */
static inline int shim_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/* The calling thread's name into `buf` (16 bytes). */
static inline int shim_get_thread_name(char *buf) {
    return prctl(PR_GET_NAME, (unsigned long)buf, 0, 0, 0);
}
