// open_loop: a fixed-rate (open-loop) HTTP/1.1 load generator for
// bench/gateway_overhead.sh.
//
//   open_loop HOST PORT REQUEST_FILE RATE DURATION_S CONNECTIONS WARMUP_S
//
// REQUEST_FILE is the whole request as sent on the wire (head and body).
// Request i is due at t0 + i/RATE, whatever happened to the requests before
// it; it goes out on the first idle kept-alive connection (queued while none
// is idle). Latency is measured from the due time to the last byte of the
// response, so a stall counts for every request it delays (no coordinated
// omission); the time from the actual send is reported too. Requests due in
// the first WARMUP_S seconds are sent but not measured. The run ends when the
// last response arrived or 5 s after the last request was due. One JSON line
// goes to stdout; exit status 1 when any response was not 200 or lost.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    int busy;
    int64_t due_ns, sent_ns;
    int measured;
    size_t woff;
    char * buf;
    size_t len, cap;
} conn;

static const char * g_host;
static int g_port;
static const char * g_req;
static size_t g_req_len;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char * what) {
    fprintf(stderr, "open_loop: %s: %s\n", what, strerror(errno));
    exit(2);
}

static int cmp_i64(const void * a, const void * b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct_us(int64_t * v, size_t n, double p) {
    if (n == 0) {
        return 0.0;
    }
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return (double)v[i] / 1000.0;
}

static int open_conn(int ep, conn * c, int index) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        die("socket");
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)g_port);
    if (inet_pton(AF_INET, g_host, &a.sin_addr) != 1) {
        fprintf(stderr, "open_loop: %s is not an IPv4 address\n", g_host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) {
        die("connect");
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)index};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        die("epoll_ctl");
    }
    c->fd = fd;
    c->busy = 0;
    c->len = 0;
    c->woff = 0;
    return fd;
}

// Writes what is left of the request; arms EPOLLOUT while some is left.
static void pump_write(int ep, conn * c, int index) {
    while (c->woff < g_req_len) {
        ssize_t n = send(c->fd, g_req + c->woff, g_req_len - c->woff, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN) {
                break;
            }
            die("send");
        }
        c->woff += (size_t)n;
    }
    struct epoll_event ev = {.events = EPOLLIN | (c->woff < g_req_len ? EPOLLOUT : 0), .data.u32 = (uint32_t)index};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

// Length of a complete response at the start of buf, 0 while incomplete;
// sets *status and *close_after.
static size_t response_length(const char * buf, size_t len, int * status, int * close_after) {
    const char * end = memmem(buf, len, "\r\n\r\n", 4);
    if (end == NULL) {
        return 0;
    }
    size_t head = (size_t)(end - buf) + 4;
    *status = (len > 12) ? atoi(buf + 9) : 0;
    *close_after = 0;
    long content_length = -1;
    int chunked = 0;
    for (const char * line = memchr(buf, '\n', head); line && line < end; line = memchr(line, '\n', (size_t)(end - line))) {
        line++;
        if (strncasecmp(line, "content-length:", 15) == 0) {
            content_length = strtol(line + 15, NULL, 10);
        } else if (strncasecmp(line, "transfer-encoding:", 18) == 0 && strstr(line, "chunked") != NULL) {
            chunked = 1;
        } else if (strncasecmp(line, "connection:", 11) == 0 && strncasecmp(line + 11, " close", 6) == 0) {
            *close_after = 1;
        }
    }
    if (chunked) {
        const char * last = memmem(buf + head - 2, len - head + 2, "\r\n0\r\n\r\n", 7);
        if (last == NULL) {
            return 0;
        }
        return (size_t)(last - buf) + 7;
    }
    if (content_length < 0) {
        fprintf(stderr, "open_loop: a response without Content-Length or chunked encoding\n");
        exit(2);
    }
    return len >= head + (size_t)content_length ? head + (size_t)content_length : 0;
}

int main(int argc, char ** argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: open_loop HOST PORT REQUEST_FILE RATE DURATION_S CONNECTIONS WARMUP_S\n");
        return 2;
    }
    g_host = argv[1];
    g_port = atoi(argv[2]);
    const double rate = atof(argv[4]);
    const double duration = atof(argv[5]);
    const int nconn = atoi(argv[6]);
    const double warmup = atof(argv[7]);
    if (rate <= 0 || duration <= 0 || duration > 600 || nconn < 1 || nconn > 4096 || warmup < 0) {
        fprintf(stderr, "open_loop: need RATE > 0, 0 < DURATION_S <= 600, 1 <= CONNECTIONS <= 4096\n");
        return 2;
    }
    FILE * f = fopen(argv[3], "rb");
    if (f == NULL) {
        die(argv[3]);
    }
    static char reqbuf[1 << 16];
    g_req_len = fread(reqbuf, 1, sizeof(reqbuf), f);
    fclose(f);
    g_req = reqbuf;

    const size_t total = (size_t)(rate * (warmup + duration));
    const int64_t interval = (int64_t)(1e9 / rate);
    const size_t first_measured = (size_t)(rate * warmup);
    int64_t * lat = calloc(total, sizeof(int64_t));
    int64_t * svc = calloc(total, sizeof(int64_t));
    int64_t * queue = calloc(total, sizeof(int64_t));  // due times waiting for a connection
    conn * conns = calloc((size_t)nconn, sizeof(conn));
    if (!lat || !svc || !queue || !conns) {
        die("calloc");
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        die("epoll_create1");
    }
    for (int i = 0; i < nconn; i++) {
        conns[i].cap = 1 << 16;
        conns[i].buf = malloc(conns[i].cap);
        open_conn(ep, &conns[i], i);
    }

    size_t next = 0, qhead = 0, qtail = 0, done = 0, measured = 0, non200 = 0, reconnects = 0, max_queue = 0;
    const int64_t t0 = now_ns() + 100000000LL;  // connections settle for 100 ms
    const int64_t hard_end = t0 + (int64_t)((warmup + duration) * 1e9) + 5000000000LL;
    struct epoll_event events[256];
    for (;;) {
        int64_t now = now_ns();
        while (next < total && t0 + (int64_t)next * interval <= now) {
            queue[qtail++] = (int64_t)next;
            next++;
        }
        if (qtail - qhead > max_queue) {
            max_queue = qtail - qhead;
        }
        for (int i = 0; i < nconn && qhead < qtail; i++) {
            conn * c = &conns[i];
            if (c->busy) {
                continue;
            }
            const int64_t index = queue[qhead++];
            c->busy = 1;
            c->due_ns = t0 + index * interval;
            c->measured = (size_t)index >= first_measured;
            c->sent_ns = now_ns();
            c->woff = 0;
            c->len = 0;
            pump_write(ep, c, i);
        }
        if (done == total || now > hard_end) {
            break;
        }
        int64_t wait = next < total ? t0 + (int64_t)next * interval - now_ns() : 10000000LL;
        if (wait < 0) {
            wait = 0;
        }
        struct timespec ts = {.tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL};
        int n = epoll_pwait2(ep, events, 256, &ts, NULL);
        if (n < 0 && errno != EINTR) {
            die("epoll_pwait2");
        }
        for (int k = 0; k < n; k++) {
            const int i = (int)events[k].data.u32;
            conn * c = &conns[i];
            if (events[k].events & EPOLLOUT) {
                pump_write(ep, c, i);
            }
            if (!(events[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                continue;
            }
            for (;;) {
                if (c->cap - c->len < 4096) {
                    c->cap *= 2;
                    c->buf = realloc(c->buf, c->cap);
                }
                ssize_t got = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
                if (got > 0) {
                    c->len += (size_t)got;
                    continue;
                }
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    break;
                }
                // closed by the peer: a request in flight is lost and counted
                if (c->busy) {
                    non200++;
                    done++;
                }
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                open_conn(ep, c, i);
                reconnects++;
                break;
            }
            if (!c->busy || c->len == 0) {
                continue;
            }
            int status = 0, close_after = 0;
            size_t rlen = response_length(c->buf, c->len, &status, &close_after);
            if (rlen == 0) {
                continue;
            }
            const int64_t t = now_ns();
            if (c->measured) {
                lat[measured] = t - c->due_ns;
                svc[measured] = t - c->sent_ns;
                measured++;
            }
            if (status != 200) {
                non200++;
            }
            done++;
            c->busy = 0;
            c->len = 0;
            if (close_after) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                open_conn(ep, c, i);
                reconnects++;
            }
        }
    }
    const double elapsed = (double)(now_ns() - t0) / 1e9;
    qsort(lat, measured, sizeof(int64_t), cmp_i64);
    qsort(svc, measured, sizeof(int64_t), cmp_i64);
    const size_t lost = total - done;
    printf("{\"rate\":%.0f,\"sent\":%zu,\"completed\":%zu,\"measured\":%zu,\"non200\":%zu,\"lost\":%zu,"
           "\"reconnects\":%zu,\"max_queue\":%zu,\"achieved_rps\":%.1f,"
           "\"latency_us\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
           "\"service_us\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f}}\n",
           rate, next, done, measured, non200, lost, reconnects, max_queue, (double)done / elapsed,
           pct_us(lat, measured, 50), pct_us(lat, measured, 90), pct_us(lat, measured, 99),
           pct_us(lat, measured, 99.9), measured ? (double)lat[measured - 1] / 1000.0 : 0.0,
           pct_us(svc, measured, 50), pct_us(svc, measured, 90), pct_us(svc, measured, 99),
           pct_us(svc, measured, 99.9), measured ? (double)svc[measured - 1] / 1000.0 : 0.0);
    return non200 == 0 && lost == 0 ? 0 : 1;
}
