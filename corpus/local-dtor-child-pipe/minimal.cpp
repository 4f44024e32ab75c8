#include <sys/wait.h>
#include <unistd.h>

struct SortedSink {
    int fd = -1;
    pid_t pid = -1;

    SortedSink() {
        int fds[2];
        if (pipe(fds) != 0) return;
        pid = fork();
        if (pid == 0) {
            dup2(fds[0], 0);
            close(fds[0]);
            close(fds[1]);
            execl("/usr/bin/sort", "sort", static_cast<char*>(nullptr));  // reads stdin until EOF
            _exit(127);
        }
        close(fds[0]);
        fd = fds[1];
    }
    ~SortedSink() {
        waitpid(pid, nullptr, 0);  // sort waits for EOF, which comes only from the close below
        close(fd);
    }
};

int main() {
    SortedSink top;
}
