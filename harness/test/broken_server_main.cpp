// A deliberately broken memcached: answers STORED to every line, or nothing at all. mcconform
// must fail against it, quickly and readably.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  const bool silent = argc > 1 && std::strcmp(argv[1], "silent") == 0;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return 1;
  }
  std::printf("%d\n", ntohs(address.sin_port));
  std::fflush(stdout);
  while (true) {
    const int client = accept(fd, nullptr, nullptr);
    if (client < 0) continue;
    std::thread([client, silent] {
      char buffer[65536];
      while (true) {
        const ssize_t n = recv(client, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        if (silent) continue;
        for (ssize_t i = 0; i < n; ++i) {
          if (buffer[i] == '\n') send(client, "STORED\r\n", 8, MSG_NOSIGNAL);
        }
      }
      close(client);
    }).detach();
  }
}
