#define _GNU_SOURCE 1
#include <sys/epoll.h>
#include <sys/socket.h>
