#include <fcntl.h>
#include <sys/wait.h>

#include <vector>

class SortedSink {
public:
  SortedSink() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC))
      return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[0], STDIN_FILENO);
      std::vector<char *> argv;
      execv("/usr/bin/sort", argv.data());
    }
  }

  ~SortedSink() {

    int status;
    waitpid(pid_, &status, 0);
  }

  pid_t pid_;
};

int main() { SortedSink top; }
