/* Bounded loopback burst for the capture tests and benchmark: sends COUNT UDP datagrams of SIZE bytes
 * to 127.0.0.1:PORT, where it also binds the receiving socket (so the kernel answers no ICMP), and
 * gives up after 30 s. usage: udp-burst PORT COUNT SIZE */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: udp-burst PORT COUNT SIZE\n"); return 2; }
  int port = atoi(argv[1]);
  long count = atol(argv[2]);
  int size = atoi(argv[3]);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rx = socket(AF_INET, SOCK_DGRAM, 0);
  if (bind(rx, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
  int tx = socket(AF_INET, SOCK_DGRAM, 0);
  if (connect(tx, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); return 1; }
  char *buf = calloc(1, (size_t)size);
  time_t start = time(NULL);
  long sent = 0;
  for (; sent < count; sent++) {
    memcpy(buf, &sent, sizeof sent < (size_t)size ? sizeof sent : (size_t)size);
    if (send(tx, buf, (size_t)size, 0) < 0) { perror("send"); break; }
    if ((sent & 1023) == 0 && time(NULL) - start > 30) break;
  }
  printf("%ld\n", sent);
  return 0;
}
