// SPDX-License-Identifier: Apache-2.0
#include "tests/bench/child_process.h"

#include <cerrno>
#include <chrono>
#include <stdexcept>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cvpn::bench {
namespace {

/// After fork, in the child: standard streams redirected, then exec. Only async-signal-safe
/// calls (open, dup2, execvp, _exit) happen here.
[[noreturn]] void ExecChild(char* const* argv, int out_fd, const char* stderr_path) {
  const int null_fd = open("/dev/null", O_RDWR);
  const int err_fd = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(null_fd, STDIN_FILENO);
  dup2(out_fd >= 0 ? out_fd : null_fd, STDOUT_FILENO);
  dup2(err_fd >= 0 ? err_fd : null_fd, STDERR_FILENO);
  execvp(argv[0], argv);
  _exit(127);
}

std::string ReadAll(int fd) {
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      return out;
    }
  }
}

}  // namespace

ChildRun RunChild(const std::vector<std::string>& argv,
                  bool capture_stdout,
                  const std::string& stderr_path) {
  if (argv.empty()) {
    throw std::invalid_argument("RunChild: no program");
  }
  std::vector<std::string> copies = argv;
  std::vector<char*> args;
  for (std::string& a : copies) {
    args.push_back(a.data());
  }
  args.push_back(nullptr);
  int fds[2] = {-1, -1};
  if (capture_stdout && pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("RunChild: pipe failed");
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    throw std::runtime_error("RunChild: fork failed");
  }
  if (pid == 0) {
    ExecChild(args.data(), fds[1], stderr_path.c_str());
  }
  ChildRun run;
  if (capture_stdout) {
    close(fds[1]);
    run.out = ReadAll(fds[0]);
    close(fds[0]);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  run.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  run.max_rss_kb = usage.ru_maxrss;
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace cvpn::bench
