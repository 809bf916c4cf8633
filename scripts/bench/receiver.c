// Benchmark receiver: plays analysisd as fast as the machine allows. Binds an AF_UNIX datagram
// socket, drains it with blocking recvmmsg in a tight loop, and checks every datagram's
// sequence number ("seq":N) against a bitmap, so each mode is verified to lose nothing.
//
// usage: receiver PATH EVENTS
// Prints "ready" once bound, then one JSON line when EVENTS distinct numbers arrived or
// nothing came for IDLE_MS: {"received":..,"distinct":..,"invalid":..,"bytes":..,"seconds":..}
// where seconds runs from the first datagram to the last.

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 64, SLOT = 65536, IDLE_MS = 3000, FIRST_WAIT_MS = 120000 };

struct tally {
  uint8_t *seen;
  long expected, received, distinct, invalid, bytes;
  double first, last;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_receive_timeout(int fd, int ms) {
  struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static int bind_socket(const char *path) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strncpy(address.sun_path, path, sizeof(address.sun_path) - 1);
  unlink(path);

  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
    perror("receiver: bind");
    exit(1);
  }
  return fd;
}

// Marks the datagram's sequence number as seen; anything unparsable or repeated is invalid.
static void count_datagram(struct tally *t, const char *data, size_t length) {
  static const char key[] = "\"seq\":";
  t->received++;
  t->bytes += (long)length;

  const char *at = memmem(data, length, key, sizeof(key) - 1);
  long seq = at ? strtol(at + sizeof(key) - 1, NULL, 10) : -1;
  if (seq < 0 || seq >= t->expected || (t->seen[seq / 8] & (1u << (seq % 8)))) {
    t->invalid++;
    return;
  }
  t->seen[seq / 8] |= (uint8_t)(1u << (seq % 8));
  t->distinct++;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: receiver PATH EVENTS\n");
    return 2;
  }
  struct tally t = {.expected = atol(argv[2])};
  t.seen = calloc((size_t)t.expected / 8 + 1, 1);
  static char buffers[BATCH][SLOT + 1];
  struct iovec vectors[BATCH];
  struct mmsghdr headers[BATCH];

  int fd = bind_socket(argv[1]);
  set_receive_timeout(fd, FIRST_WAIT_MS);
  printf("ready\n");
  fflush(stdout);

  while (t.distinct < t.expected) {
    for (int i = 0; i < BATCH; i++) {
      vectors[i] = (struct iovec){buffers[i], SLOT};
      headers[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &vectors[i], .msg_iovlen = 1}};
    }
    int n = recvmmsg(fd, headers, BATCH, MSG_WAITFORONE, NULL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;  // EAGAIN: idle for IDLE_MS (or never started): report what arrived

    if (t.received == 0) {
      t.first = now_seconds();
      set_receive_timeout(fd, IDLE_MS);
    }
    for (int i = 0; i < n; i++) count_datagram(&t, buffers[i], headers[i].msg_len);
    t.last = now_seconds();
  }

  printf("{\"received\":%ld,\"distinct\":%ld,\"invalid\":%ld,\"bytes\":%ld,\"seconds\":%.6f}\n",
         t.received, t.distinct, t.invalid, t.bytes, t.last - t.first);
  close(fd);
  unlink(argv[1]);
  return 0;
}
