// A deliberately broken memcached: answers STORED to every line ("stored"), nothing at all
// ("silent"), STORED to a few lines and then exits with status 3 ("dies"), nothing on its first
// two connections and STORED to every line after ("hiccup"), or ERROR to every line ("error": it
// implements nothing). mcconform must fail against each, quickly and readably. Usage: MODE [PORT];
// with no port it picks one and prints it.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  const bool silent = argc > 1 && std::strcmp(argv[1], "silent") == 0;
  const bool dies = argc > 1 && std::strcmp(argv[1], "dies") == 0;
  const bool hiccup = argc > 1 && std::strcmp(argv[1], "hiccup") == 0;
  const bool error = argc > 1 && std::strcmp(argv[1], "error") == 0;
  int connections = 0;
  static std::atomic<int> lines_left{5};
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (argc > 2) address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[2])));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
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
    const bool quiet = silent || (hiccup && ++connections <= 2);
    std::thread([client, quiet, dies, error] {
      char buffer[65536];
      while (true) {
        const ssize_t n = recv(client, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        if (quiet) continue;
        for (ssize_t i = 0; i < n; ++i) {
          if (buffer[i] != '\n') continue;
          if (dies && --lines_left < 0) std::_Exit(3);
          if (error) {
            send(client, "ERROR\r\n", 7, MSG_NOSIGNAL);
          } else {
            send(client, "STORED\r\n", 8, MSG_NOSIGNAL);
          }
        }
      }
      close(client);
    }).detach();
  }
}
