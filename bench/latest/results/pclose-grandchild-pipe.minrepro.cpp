
#include <iomanip>

FILE *pipe;

void reap_at_exit() { pclose(pipe); }

int main() {

  pipe = popen("{ lease() { sleep 3600; }; lease & echo ready; } | while read l; do echo \"agent: "
               "$l\"; done",
               "r");

  atexit(reap_at_exit);

  char buf[512];
  fgets(buf, sizeof buf, pipe);
}
