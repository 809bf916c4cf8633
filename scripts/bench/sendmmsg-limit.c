// Benchmark sender at the machine's limit: one connected, blocking AF_UNIX datagram socket
// and sendmmsg over batches of 1024 ready-made datagrams `1:Wazuh-AWS:{"seq":N,...}` of about
// SIZE bytes. No JSON work, no runtime: what the kernel and the receiver allow.
//
// usage: sendmmsg-limit PATH EVENTS SIZE

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

enum { BATCH = 1024, MAX_SIZE = 65535 };

static int connect_socket(const char *path) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strncpy(address.sun_path, path, sizeof(address.sun_path) - 1);

  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
    perror("sendmmsg-limit: connect");
    exit(1);
  }
  return fd;
}

// Writes datagram seq into slot, padded so that the whole datagram is about size bytes.
static size_t format_datagram(char *slot, long seq, int size, const char *padding) {
  int head = snprintf(slot, MAX_SIZE, "1:Wazuh-AWS:{\"seq\":%ld,\"pad\":\"", seq);
  int pad = size - head - 2;
  if (pad < 0) pad = 0;
  memcpy(slot + head, padding, (size_t)pad);
  memcpy(slot + head + pad, "\"}", 2);
  return (size_t)(head + pad + 2);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: sendmmsg-limit PATH EVENTS SIZE\n");
    return 2;
  }
  long events = atol(argv[2]);
  int size = atoi(argv[3]);
  char *padding = malloc(MAX_SIZE);
  memset(padding, 'p', MAX_SIZE);
  char *slots = malloc((size_t)BATCH * MAX_SIZE);
  struct iovec vectors[BATCH];
  struct mmsghdr headers[BATCH];

  int fd = connect_socket(argv[1]);
  for (long first = 0; first < events; first += BATCH) {
    int count = events - first < BATCH ? (int)(events - first) : BATCH;
    for (int i = 0; i < count; i++) {
      char *slot = slots + (size_t)i * MAX_SIZE;
      vectors[i] = (struct iovec){slot, format_datagram(slot, first + i, size, padding)};
      headers[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &vectors[i], .msg_iovlen = 1}};
    }
    for (int sent = 0; sent < count;) {
      int n = sendmmsg(fd, headers + sent, (unsigned)(count - sent), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        perror("sendmmsg-limit: sendmmsg");
        return 1;
      }
      sent += n;
    }
  }
  close(fd);
  return 0;
}
